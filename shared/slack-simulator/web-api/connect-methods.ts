import type { SimContext } from '../context';
import type { TokenRecord } from '../model';
import type { MethodSpec } from './method-spec';
import { fail, ok, type ApiResult } from './respond';

/** rtm.connect and rtm.start (the latter returns rtm.connect's shape since 2022, SLACK-PROTOCOL §1.1). */
function rtmConnect(ctx: SimContext, token: TokenRecord | undefined): ApiResult {
  const ws = token?.teamId ? ctx.registry.workspaces.get(token.teamId) : undefined;
  if (!token || !ws) return fail('invalid_auth');
  const app = ctx.registry.apps.get(token.appId);
  const ticket = ctx.tickets.issue('rtm', ws.teamId, token.token, ctx.options.rtm.urlTtlMs);
  const wsBase = ctx.baseUrl().replace(/^http/, 'ws');
  return ok({
    url: `${wsBase}/websocket/${encodeURIComponent(ticket.id)}`,
    team: {
      id: ws.teamId, name: ws.teamName, domain: ws.domain,
      ...(ws.enterpriseId ? { enterprise_id: ws.enterpriseId, enterprise_name: ws.enterpriseName } : {}),
    },
    self: { id: token.userId, name: token.kind === 'bot' ? (app?.name ?? 'bot') : `user-${token.userId}` },
  }, token.scopes);
}

const rtmRule = { kinds: ['bot', 'user'], classicOnly: true, anyScope: ['bot', 'rtm:stream', 'client'] } as const;

export const rtmConnectSpec: MethodSpec = {
  accepted: ['rtm:stream', 'client'],
  auth: rtmRule,
  handle: (ctx, _req, token) => rtmConnect(ctx, token),
};

export const rtmStartSpec: MethodSpec = rtmConnectSpec;

/** apps.connections.open: xapp token, header only, `connections:write` (SLACK-PROTOCOL §2.1). */
export const appsConnectionsOpenSpec: MethodSpec = {
  accepted: ['connections:write'],
  auth: { kinds: ['app'], headerOnly: true, anyScope: ['connections:write'] },
  handle: (ctx, _req, token) => {
    if (!token) return fail('invalid_auth');
    const ticket = ctx.tickets.issue('socket_mode', token.appId, token.token, ctx.options.socketMode.ticketTtlMs);
    const wsBase = ctx.baseUrl().replace(/^http/, 'ws');
    return ok({ url: `${wsBase}/link/?ticket=${encodeURIComponent(ticket.id)}&app_id=${token.appId}` }, token.scopes);
  },
};
