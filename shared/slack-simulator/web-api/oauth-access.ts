import type { SimContext } from '../context';
import type { App, Installation } from '../model';
import { ROTATING_TOKEN_TTL_S } from '../registry';
import type { MethodSpec } from './method-spec';
import type { ApiRequest } from './request';
import { fail, ok, type ApiResult } from './respond';

/**
 * oauth.v2.access (SLACK-PROTOCOL §3.2–3.3): client credentials by HTTP Basic or form, single-use
 * codes bound to their redirect_uri, and the refresh-token grant with rotation.
 */
export const oauthV2AccessSpec: MethodSpec = {
  accepted: [],
  rateKey: (req) => req.basic?.user ?? req.params.client_id ?? 'anonymous',
  handle: (ctx, req) => {
    const clientId = req.basic?.user ?? req.params.client_id;
    const secret = req.basic?.password ?? req.params.client_secret;
    const app = clientId ? ctx.registry.appByClientId(clientId) : undefined;
    if (!app) return fail('invalid_client_id');
    if (app.clientSecret !== secret) return fail('bad_client_secret');
    const grant = req.params.grant_type ?? 'authorization_code';
    if (grant === 'refresh_token') return refresh(ctx, app, req);
    if (grant !== 'authorization_code') return fail('invalid_grant_type');
    return exchange(ctx, app, req);
  },
};

function exchange(ctx: SimContext, app: App, req: ApiRequest): ApiResult {
  const code = req.params.code ? ctx.oauthCodes.redeem(req.params.code) : undefined;
  if (!code || code.appId !== app.appId) return fail('invalid_code');
  if (code.redirectUri !== undefined && req.params.redirect_uri !== undefined && req.params.redirect_uri !== code.redirectUri) {
    return fail('bad_redirect_uri');
  }
  if (code.redirectUri !== undefined && req.params.redirect_uri === undefined) return fail('bad_redirect_uri');
  const { installation: inst, userToken, userRefreshToken } = ctx.registry.install(app.appId, code.target);
  const bot = ctx.registry.token(inst.botToken)!;
  const user = userToken ? ctx.registry.token(userToken) : undefined;
  const ttl = (expiresAt: number | undefined): number => Math.max(0, Math.floor(((expiresAt ?? 0) - ctx.clock.now()) / 1000));
  return ok({
    app_id: app.appId,
    authed_user: {
      id: code.target.userId,
      ...(user ? { scope: user.scopes.join(','), access_token: user.token, token_type: 'user' } : {}),
      ...(user && userRefreshToken ? { refresh_token: userRefreshToken, expires_in: ttl(user.expiresAt) } : {}),
    },
    scope: bot.scopes.join(','),
    token_type: 'bot',
    access_token: bot.token,
    bot_user_id: inst.botUserId,
    ...(inst.refreshToken ? { refresh_token: inst.refreshToken, expires_in: ttl(bot.expiresAt) } : {}),
    ...teamAndEnterprise(ctx, inst),
    ...(bot.scopes.includes('incoming-webhook') ? { incoming_webhook: webhook(ctx, inst) } : {}),
  });
}

function refresh(ctx: SimContext, app: App, req: ApiRequest): ApiResult {
  const out = req.params.refresh_token ? ctx.registry.refresh(app.appId, req.params.refresh_token) : undefined;
  if (!out) return fail('invalid_refresh_token');
  const { token, refreshToken, installation } = out;
  return ok({
    app_id: app.appId,
    scope: token.scopes.join(','),
    token_type: token.kind === 'user' ? 'user' : 'bot',
    access_token: token.token,
    refresh_token: refreshToken,
    expires_in: ROTATING_TOKEN_TTL_S,
    ...(token.kind === 'bot' ? { bot_user_id: installation.botUserId } : { user_id: token.userId }),
    ...teamAndEnterprise(ctx, installation),
  });
}

function teamAndEnterprise(ctx: SimContext, inst: Installation): Record<string, unknown> {
  const ws = inst.teamId ? ctx.registry.workspaces.get(inst.teamId) : undefined;
  const enterpriseName = ws?.enterpriseName ?? `Enterprise ${inst.enterpriseId ?? ''}`;
  return {
    team: inst.isEnterpriseInstall || !ws ? null : { id: ws.teamId, name: ws.teamName },
    enterprise: inst.enterpriseId ? { id: inst.enterpriseId, name: enterpriseName } : null,
    is_enterprise_install: inst.isEnterpriseInstall,
  };
}

function webhook(ctx: SimContext, inst: Installation): Record<string, string> {
  return {
    channel: '#general',
    channel_id: 'C0GENERAL',
    configuration_url: `${ctx.baseUrl()}/services/${inst.botId}`,
    url: `${ctx.baseUrl()}/services/${inst.installKey}/${inst.botId}/hook`,
  };
}
