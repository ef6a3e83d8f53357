import type { MethodSpec } from './method-spec';
import { fail, ok } from './respond';

/** auth.test: who the token is (SLACK-PROTOCOL §3.1); rotating tokens also report `expires_in`. */
export const authTestSpec: MethodSpec = {
  accepted: [],
  auth: { kinds: ['bot', 'user'] },
  handle: (ctx, _req, token) => {
    if (!token) return fail('invalid_auth');
    const ws = token.teamId ? ctx.registry.workspaces.get(token.teamId) : undefined;
    const inst = ctx.registry.installationOfToken(token);
    const app = ctx.registry.apps.get(token.appId);
    return ok({
      url: ws ? `https://${ws.domain}.slack.com/` : 'https://enterprise.slack.com/',
      team: ws?.teamName ?? null,
      user: token.kind === 'bot' ? (app?.name ?? 'bot') : `user-${token.userId}`,
      team_id: ws?.teamId ?? token.enterpriseId,
      user_id: token.userId,
      ...(token.kind === 'bot' ? { bot_id: inst?.botId, app_id: token.appId } : {}),
      ...(token.enterpriseId ? { enterprise_id: token.enterpriseId } : {}),
      is_enterprise_install: inst?.isEnterpriseInstall ?? false,
      ...(token.expiresAt !== undefined ? { expires_in: Math.max(0, Math.floor((token.expiresAt - ctx.clock.now()) / 1000)) } : {}),
    }, token.scopes);
  },
};

/** auth.revoke: `test=1` is a dry run; a real revoke feeds `tokens_revoked` (SLACK-PROTOCOL §3.4). */
export const authRevokeSpec: MethodSpec = {
  accepted: [],
  auth: { kinds: ['bot', 'user'] },
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    if (req.params.test === '1' || req.params.test === 'true') return ok({ revoked: false }, token.scopes);
    ctx.lifecycle.revoke(token);
    return ok({ revoked: true }, token.scopes);
  },
};

/** apps.uninstall: token plus the app's client credentials, which must belong to the token's app. */
export const appsUninstallSpec: MethodSpec = {
  accepted: [],
  auth: { kinds: ['bot', 'user'] },
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    const clientId = req.params.client_id ?? req.basic?.user;
    const secret = req.params.client_secret ?? req.basic?.password;
    const app = clientId ? ctx.registry.appByClientId(clientId) : undefined;
    if (!app) return fail('invalid_client_id');
    if (app.clientSecret !== secret) return fail('bad_client_secret');
    if (app.appId !== token.appId) return fail('client_id_token_mismatch');
    // Slack's method page: "granular bot not allowed to uninstall" (SLACK-PROTOCOL §3.4).
    if (token.kind === 'bot' && !token.classic) return fail('no_permission');
    const inst = ctx.registry.installationOfToken(token);
    if (inst) ctx.lifecycle.uninstall(inst);
    return ok({ uninstalled: true }, token.scopes);
  },
};
