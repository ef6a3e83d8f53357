import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi } from './support/helpers';

let sim: SlackSimulator;
afterEach(async () => sim?.close());

describe('Web API conventions', () => {
  it('accepts the token as Bearer header, as a form field and in a JSON body, and sends Slack headers', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace({ teamName: 'Acme' });
    const viaHeader = await callApi(sim, 'auth.test', {}, { bearer: ws.botToken });
    const viaForm = await callApi(sim, 'auth.test', { token: ws.botToken });
    const viaJson = await callApi(sim, 'auth.test', {}, { bearer: ws.botToken, json: true });
    for (const r of [viaHeader, viaForm, viaJson]) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true, team_id: ws.teamId, user_id: ws.botUserId, bot_id: ws.botId, team: 'Acme' });
    }
    expect(viaHeader.headers.get('x-slack-req-id')).toMatch(/\S+/);
    expect(viaHeader.headers.get('x-oauth-scopes')).toBe('bot');
    expect(viaHeader.headers.get('access-control-expose-headers')).toBe('x-slack-req-id, retry-after');
    const rtm = await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken });
    expect(rtm.headers.get('x-accepted-oauth-scopes')).toBe('rtm:stream,client');
  });

  it('answers errors with HTTP 200 and ok:false, one code per token state', async () => {
    sim = await startSlackSimulator();
    const [a, b, c] = [sim.addWorkspace(), sim.addWorkspace(), sim.addWorkspace()];
    sim.setTokenStatus(a.botToken, 'inactive');
    sim.setTokenStatus(b.botToken, 'revoked');
    sim.setTokenStatus(c.botToken, 'unknown');
    const cases: [Record<string, string>, string][] = [
      [{}, 'not_authed'],
      [{ token: 'xoxb-nope' }, 'invalid_auth'],
      [{ token: a.botToken }, 'account_inactive'],
      [{ token: b.botToken }, 'token_revoked'],
      [{ token: c.botToken }, 'invalid_auth'],
    ];
    for (const [args, error] of cases) {
      const r = await callApi(sim, 'rtm.connect', args);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: false, error });
    }
    expect((await callApi(sim, 'no.such.method', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('refuses granular bot tokens on RTM with not_allowed_token_type', async () => {
    sim = await startSlackSimulator();
    const granular = sim.addWorkspace({ granular: true });
    for (const method of ['rtm.connect', 'rtm.start']) {
      const r = await callApi(sim, method, {}, { bearer: granular.botToken });
      expect(r.body).toEqual({ ok: false, error: 'not_allowed_token_type' });
    }
    expect((await callApi(sim, 'auth.test', {}, { bearer: granular.botToken })).body.ok).toBe(true);
  });

  it('rtm.connect and rtm.start return the url/team/self shape', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace({ teamName: 'Shape Co' });
    for (const method of ['rtm.connect', 'rtm.start']) {
      const r = await callApi(sim, method, {}, { bearer: ws.botToken });
      expect(r.body).toMatchObject({
        ok: true, team: { id: ws.teamId, name: 'Shape Co', domain: 'shape-co' }, self: { id: ws.botUserId },
      });
      expect(String(r.body.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/websocket\/\S+$/);
    }
  });

  it('apps.connections.open takes an xapp token from the header only', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const noScope = sim.addApp({ appTokenScopes: ['authorizations:read'] });
    const good = await callApi(sim, 'apps.connections.open', {}, { bearer: app.appToken });
    expect(good.body.ok).toBe(true);
    expect(String(good.body.url)).toMatch(new RegExp(`/link/\\?ticket=[^&]+&app_id=${app.appId}$`));
    expect((await callApi(sim, 'apps.connections.open', { token: app.appToken })).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await callApi(sim, 'apps.connections.open', {}, { bearer: ws.botToken })).body)
      .toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect((await callApi(sim, 'apps.connections.open', {}, { bearer: noScope.appToken })).body)
      .toEqual({ ok: false, error: 'missing_scope', needed: 'connections:write', provided: 'authorizations:read' });
  });

  it('throttles per method and per workspace with HTTP 429 and Retry-After', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rateLimits: { 'rtm.connect': { perMinute: 1, burst: 2 } } });
    const [a, b] = [sim.addWorkspace(), sim.addWorkspace()];
    const first = await callApi(sim, 'rtm.connect', {}, { bearer: a.botToken });
    const second = await callApi(sim, 'rtm.connect', {}, { bearer: a.botToken });
    const third = await callApi(sim, 'rtm.connect', {}, { bearer: a.botToken });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(Number(third.headers.get('retry-after'))).toBe(60);
    // Another workspace and another method are not affected.
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: b.botToken })).status).toBe(200);
    expect((await callApi(sim, 'auth.test', {}, { bearer: a.botToken })).status).toBe(200);
    clock.advance(60_000);
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: a.botToken })).status).toBe(200);
    expect(sim.truth.calls('rtm.connect', a.teamId).map((c) => c.outcome)).toEqual(['ok', 'ok', 'ratelimited', 'ok']);
  });

  it('can switch rate limiting off for benchmarks', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const ws = sim.addWorkspace();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken })));
    expect(statuses.every((r) => r.status === 200)).toBe(true);
  });

  it('answers token_expired for a rotating token past its 12 h life, and auth.test reports expires_in', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const app = sim.addApp({ tokenRotation: true });
    const ws = sim.addWorkspace({ appId: app.appId });
    expect(ws.botToken.startsWith('xoxe.xoxb-')).toBe(true);
    expect((await callApi(sim, 'auth.test', {}, { bearer: ws.botToken })).body.expires_in).toBe(43_200);
    clock.advance(43_200_000);
    expect((await callApi(sim, 'auth.test', {}, { bearer: ws.botToken })).body).toEqual({ ok: false, error: 'token_expired' });
  });

  it('auth.revoke with test=1 is a dry run; a real revoke kills the token', async () => {
    sim = await startSlackSimulator({ uninstallEventOrder: 'tokens_revoked_first' });
    const ws = sim.addWorkspace();
    expect((await callApi(sim, 'auth.revoke', { test: '1' }, { bearer: ws.botToken })).body).toEqual({ ok: true, revoked: false });
    expect((await callApi(sim, 'auth.test', {}, { bearer: ws.botToken })).body.ok).toBe(true);
    expect((await callApi(sim, 'auth.revoke', {}, { bearer: ws.botToken })).body).toEqual({ ok: true, revoked: true });
    expect((await callApi(sim, 'auth.test', {}, { bearer: ws.botToken })).body).toEqual({ ok: false, error: 'account_inactive' });
  });

  it('apps.uninstall checks the client credentials against the token', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const other = sim.addApp({ classic: true });
    const own = sim.addApp({ classic: true });
    const mine = sim.addWorkspace({ appId: own.appId });
    const bad = await callApi(sim, 'apps.uninstall', { client_id: other.clientId, client_secret: other.clientSecret }, { bearer: mine.botToken });
    expect(bad.body).toEqual({ ok: false, error: 'client_id_token_mismatch' });
    const secret = await callApi(sim, 'apps.uninstall', { client_id: own.clientId, client_secret: 'wrong' }, { bearer: mine.botToken });
    expect(secret.body).toEqual({ ok: false, error: 'bad_client_secret' });
    const good = await callApi(sim, 'apps.uninstall', { client_id: own.clientId, client_secret: own.clientSecret }, { bearer: mine.botToken });
    expect(good.body.ok).toBe(true);
    expect((await callApi(sim, 'auth.test', {}, { bearer: mine.botToken })).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await callApi(sim, 'auth.test', {}, { bearer: ws.botToken })).body.ok).toBe(true);
  });
});
