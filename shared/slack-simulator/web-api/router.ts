import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import type { TokenRecord } from '../model';
import { authenticate } from './authenticate';
import { appsUninstallSpec, authRevokeSpec, authTestSpec } from './auth-methods';
import { chatPostMessageSpec, reactionsAddSpec, viewsOpenSpec, viewsPublishSpec } from './bot-methods';
import { appsConnectionsOpenSpec, rtmConnectSpec, rtmStartSpec } from './connect-methods';
import type { MethodSpec } from './method-spec';
import { oauthV2AccessSpec } from './oauth-access';
import { InvalidFormError, parseApiRequest } from './request';
import { fail, sendApi, sendRateLimited, type ApiResult } from './respond';

export const METHODS: Record<string, MethodSpec> = {
  'rtm.connect': rtmConnectSpec,
  'rtm.start': rtmStartSpec,
  'apps.connections.open': appsConnectionsOpenSpec,
  'auth.test': authTestSpec,
  'auth.revoke': authRevokeSpec,
  'apps.uninstall': appsUninstallSpec,
  'oauth.v2.access': oauthV2AccessSpec,
  'chat.postMessage': chatPostMessageSpec,
  'views.open': viewsOpenSpec,
  'views.publish': viewsPublishSpec,
  'reactions.add': reactionsAddSpec,
};

/**
 * `/api/<method>`: parse, authenticate, rate-limit per method and per app+workspace, run, and
 * record the call in ground truth. Errors are HTTP 200 + ok:false; only throttling is a 429.
 */
export async function handleApi(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = decodeURIComponent(url.pathname.slice('/api/'.length));
  const spec = METHODS[method];
  // What the call was about, once its arguments are parsed.
  const described: { args?: Record<string, string> } = {};
  const record = (outcome: string, status: number, token?: TokenRecord): void =>
    ctx.truth.record(ctx.truth.apiCalls, {
      at: ctx.clock.now(), method, teamId: token?.teamId ?? token?.enterpriseId, appId: token?.appId, outcome, status,
      ...(token ? { tokenKind: token.kind, tokenGeneration: token.generation, tokenCurrent: ctx.registry.isCurrent(token) } : {}),
      ...(described.args ? { args: described.args } : {}),
    });
  const reply = (result: ApiResult, token?: TokenRecord): void => {
    record(result.body.ok === true ? 'ok' : String(result.body.error), 200, token);
    sendApi(res, result, spec?.accepted ?? []);
  };
  if (!spec) return reply(fail('unknown_method'));
  let parsed;
  try {
    parsed = await parseApiRequest(req, url);
  } catch (err) {
    return reply(fail(err instanceof InvalidFormError ? err.code : 'invalid_form_data'));
  }
  described.args = spec.describe?.(parsed);
  let token: TokenRecord | undefined;
  if (spec.auth) {
    const auth = authenticate(ctx.registry, parsed, spec.auth);
    if (!auth.ok) return reply(auth.result, auth.token);
    token = auth.token;
  }
  const base = token ? `${token.appId}:${token.teamId ?? token.enterpriseId ?? ''}` : (spec.rateKey?.(parsed) ?? 'anonymous');
  const scope = spec.rateScope?.(parsed);
  const key = scope ? `${base}:${scope}` : base;
  const decision = ctx.rateLimiter.check(method, key);
  if (!decision.allowed) {
    record('ratelimited', 429, token);
    return sendRateLimited(res, decision.retryAfterSeconds, spec.accepted);
  }
  reply(await spec.handle(ctx, parsed, token), token);
}
