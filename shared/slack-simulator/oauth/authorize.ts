import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import { newId } from '../ids';

/**
 * `GET /oauth/v2/authorize`: the page where a user approves an install. No page is shown; the
 * simulator answers at once with the redirect Slack would send after the click (SLACK-PROTOCOL §4.4).
 */
export function handleAuthorize(ctx: SimContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  const q = url.searchParams;
  const app = ctx.registry.appByClientId(q.get('client_id') ?? '');
  if (!app) return page(res, 400, 'invalid_client_id');
  const redirect = q.get('redirect_uri');
  if (!redirect) return page(res, 400, 'missing redirect_uri');
  let target: URL;
  try {
    target = new URL(redirect);
  } catch {
    return page(res, 400, 'bad_redirect_uri');
  }
  const state = q.get('state');
  const b = ctx.oauthCodes.behaviour;
  if (b.deny) {
    target.searchParams.set('error', 'access_denied');
  } else {
    const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
    const userScopes = (q.get('user_scope') ?? '').split(',').filter(Boolean);
    if (scopes.length === 0 && userScopes.length === 0) return page(res, 400, 'invalid_scope');
    const code = ctx.oauthCodes.issue(app.appId, {
      teamId: b.teamId ?? q.get('team') ?? undefined,
      teamName: b.teamName,
      enterpriseId: b.enterpriseId,
      enterpriseName: b.enterpriseName,
      isEnterpriseInstall: b.isEnterpriseInstall,
      userId: b.userId ?? newId('U'),
      userScopes,
    }, redirect);
    target.searchParams.set('code', code.code);
  }
  if (state !== null) target.searchParams.set('state', state);
  res.writeHead(302, { location: target.toString(), 'content-type': 'text/plain' });
  res.end();
}

function page(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}
