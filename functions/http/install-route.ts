import type { HttpDeps } from './deps';
import { isLocalhost, issueState, stateCookie } from './oauth-state';
import type { HttpRequest, HttpResponse } from './types';

const TEAM_HINT = /^[TE][A-Z0-9]{2,20}$/;

/** `GET /slack/install`: a fresh signed state, in the cookie and the query, and off to Slack. */
export function handleInstall(deps: HttpDeps, request: HttpRequest): HttpResponse {
  const { config } = deps;
  const canonical = canonicalInstall(config.redirectUri, request);
  if (canonical) return { status: 302, headers: { location: canonical, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }, body: '' };
  const state = issueState(config.stateSecret, deps.clock.now());
  const target = new URL(config.authorizeUrl);
  target.searchParams.set('scope', config.scopes.join(','));
  if (config.userScopes.length > 0) target.searchParams.set('user_scope', config.userScopes.join(','));
  target.searchParams.set('client_id', config.clientId);
  target.searchParams.set('redirect_uri', config.redirectUri);
  target.searchParams.set('state', state);
  // "Add to Slack" from a workspace's own page may preselect it (SLACK-PROTOCOL §4.4 `team`).
  const team = request.query.get('team');
  if (team && TEAM_HINT.test(team)) target.searchParams.set('team', team);
  return {
    status: 302,
    headers: {
      location: target.toString(),
      'set-cookie': stateCookie(state, !isLocalhost(config.redirectUri)),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: '',
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The state cookie is set for the host that serves `/slack/install` and must come back with
 * Slack's redirect, which goes to the redirect URI's host. Opened on another loopback name than
 * the redirect URI's (`127.0.0.1` vs `localhost`, the same machine), the install first moves to
 * the redirect URI's host; otherwise the callback would find no cookie ("This link cannot be
 * used"). Only between loopback names: behind a proxy the Host header may differ on purpose, and
 * a redirect there could loop.
 */
function canonicalInstall(redirectUri: string, request: HttpRequest): string | undefined {
  const target = new URL(redirectUri);
  const host = request.headers.host?.toLowerCase();
  if (!host || host === target.host || !LOOPBACK.has(target.hostname)) return undefined;
  const asked = new URL(`http://${host}`);
  if (!LOOPBACK.has(asked.hostname) || asked.port !== target.port) return undefined;
  const query = request.query.toString();
  return `${target.origin}/slack/install${query ? `?${query}` : ''}`;
}
