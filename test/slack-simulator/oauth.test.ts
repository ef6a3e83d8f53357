import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi } from './support/helpers';

let sim: SlackSimulator;
afterEach(async () => sim?.close());
const REDIRECT = 'https://lifeline.example/slack/oauth_redirect';

/** Visits the authorize page as a browser would and returns where Slack sends the user back. */
async function authorize(params: Record<string, string>): Promise<URL> {
  const res = await fetch(`${sim.url}/oauth/v2/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

describe('OAuth v2', () => {
  it('redirects with a code and the state, and the code buys a bot token once', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp({ botScopes: ['chat:write', 'incoming-webhook'] });
    const back = await authorize({ client_id: app.clientId, scope: 'chat:write,incoming-webhook', redirect_uri: REDIRECT, state: 's-123', team: 'T0LIFELINE' });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s-123');
    const code = back.searchParams.get('code')!;
    const args = { code, redirect_uri: REDIRECT };
    const first = await callApi(sim, 'oauth.v2.access', args, { basic: [app.clientId, app.clientSecret] });
    expect(first.body).toMatchObject({
      ok: true, app_id: app.appId, token_type: 'bot', scope: 'chat:write,incoming-webhook',
      access_token: expect.stringMatching(/^xoxb-/), bot_user_id: expect.stringMatching(/^U/),
      team: { id: 'T0LIFELINE' }, enterprise: null, is_enterprise_install: false,
      authed_user: { id: expect.stringMatching(/^U/) }, incoming_webhook: { url: expect.any(String), channel_id: expect.any(String) },
    });
    expect((await callApi(sim, 'auth.test', {}, { bearer: String(first.body.access_token) })).body)
      .toMatchObject({ ok: true, team_id: 'T0LIFELINE' });
    const again = await callApi(sim, 'oauth.v2.access', { ...args, client_id: app.clientId, client_secret: app.clientSecret });
    expect(again.body).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('redirects with error=access_denied and the state when the user cancels', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    sim.setAuthorizeBehaviour({ deny: true });
    const back = await authorize({ client_id: app.clientId, scope: 'chat:write', redirect_uri: REDIRECT, state: 'abc' });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('abc');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('checks client credentials, redirect_uri and grant type', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    const code = async (): Promise<string> =>
      (await authorize({ client_id: app.clientId, scope: 'chat:write', redirect_uri: REDIRECT })).searchParams.get('code')!;
    const form = (extra: Record<string, string>): Record<string, string> => ({ client_id: app.clientId, client_secret: app.clientSecret, ...extra });
    expect((await callApi(sim, 'oauth.v2.access', { client_id: 'nope', client_secret: 'x', code: await code() })).body.error).toBe('invalid_client_id');
    expect((await callApi(sim, 'oauth.v2.access', { ...form({ code: await code() }), client_secret: 'bad' })).body.error).toBe('bad_client_secret');
    expect((await callApi(sim, 'oauth.v2.access', form({ code: await code(), redirect_uri: 'https://evil.example/' }))).body.error).toBe('bad_redirect_uri');
    expect((await callApi(sim, 'oauth.v2.access', form({ code: await code(), grant_type: 'password' }))).body.error).toBe('invalid_grant_type');
    expect((await callApi(sim, 'oauth.v2.access', form({ code: 'made-up', redirect_uri: REDIRECT }))).body.error).toBe('invalid_code');
    expect((await callApi(sim, 'oauth.v2.access', form({ code: await code(), redirect_uri: REDIRECT }))).body.ok).toBe(true);
  });

  it('rotates refresh tokens: 43200 s tokens, the old refresh token dies', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const app = sim.addApp({ tokenRotation: true });
    const back = await authorize({ client_id: app.clientId, scope: 'chat:write', redirect_uri: REDIRECT });
    const install = await callApi(sim, 'oauth.v2.access', { code: back.searchParams.get('code')!, redirect_uri: REDIRECT },
      { basic: [app.clientId, app.clientSecret] });
    expect(install.body).toMatchObject({ ok: true, expires_in: 43_200, refresh_token: expect.stringMatching(/^xoxe-1-/), access_token: expect.stringMatching(/^xoxe\.xoxb-/) });
    clock.advance(43_200_000);
    expect((await callApi(sim, 'auth.test', {}, { bearer: String(install.body.access_token) })).body.error).toBe('token_expired');
    const creds = { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'refresh_token' };
    const refreshed = await callApi(sim, 'oauth.v2.access', { ...creds, refresh_token: String(install.body.refresh_token) });
    expect(refreshed.body).toMatchObject({ ok: true, token_type: 'bot', expires_in: 43_200, app_id: app.appId });
    expect(refreshed.body.refresh_token).not.toBe(install.body.refresh_token);
    expect((await callApi(sim, 'auth.test', {}, { bearer: String(refreshed.body.access_token) })).body.ok).toBe(true);
    const reuse = await callApi(sim, 'oauth.v2.access', { ...creds, refresh_token: String(install.body.refresh_token) });
    expect(reuse.body).toEqual({ ok: false, error: 'invalid_refresh_token' });
  });

  it('org-wide installs answer with team null and the enterprise', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    sim.setAuthorizeBehaviour({ isEnterpriseInstall: true, enterpriseId: 'E0ORG', enterpriseName: 'Org' });
    const back = await authorize({ client_id: app.clientId, scope: 'chat:write', redirect_uri: REDIRECT });
    const res = await callApi(sim, 'oauth.v2.access', { code: back.searchParams.get('code')!, redirect_uri: REDIRECT },
      { basic: [app.clientId, app.clientSecret] });
    expect(res.body).toMatchObject({ ok: true, team: null, enterprise: { id: 'E0ORG' }, is_enterprise_install: true });
    expect((await callApi(sim, 'auth.test', {}, { bearer: String(res.body.access_token) })).body)
      .toMatchObject({ ok: true, enterprise_id: 'E0ORG', is_enterprise_install: true });
  });

  it('a reinstall after an uninstall yields a fresh active token; the old one stays dead', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp({ classic: true, socketMode: false });
    const ws = sim.addWorkspace({ appId: app.appId });
    sim.uninstall(app.appId, ws.teamId);
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken })).body.error).toBe('invalid_auth');
    const back = await authorize({ client_id: app.clientId, scope: 'bot', redirect_uri: REDIRECT, team: ws.teamId });
    const res = await callApi(sim, 'oauth.v2.access', { code: back.searchParams.get('code')!, redirect_uri: REDIRECT },
      { basic: [app.clientId, app.clientSecret] });
    expect(res.body).toMatchObject({ ok: true, team: { id: ws.teamId }, bot_user_id: ws.botUserId });
    expect(res.body.access_token).not.toBe(ws.botToken);
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: String(res.body.access_token) })).body.ok).toBe(true);
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken })).body.error).toBe('invalid_auth');
  });
});
