import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { SlackApiError } from '../../shared/ports';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { registerSecrets } from '../support/log-capture';

// oauth.v2.access through the real adapter: client credentials in an HTTP Basic header (never
// in the body), code exchange bound to its redirect URI, and Slack's errors as SlackApiErrors.

describe('HttpSlackApi.oauthV2Access', () => {
  let sim: SlackSimulator;
  const sent: Array<{ authorization: string; body: string }> = [];

  beforeAll(async () => {
    sim = await startSlackSimulator({ rateLimits: false });
  });

  afterAll(async () => {
    await sim?.close();
  });

  const api = () =>
    new HttpSlackApi({
      apiUrl: sim.apiUrl,
      fetch: async (url, init) => {
        sent.push({ authorization: new Headers(init?.headers).get('authorization') ?? '', body: String(init?.body ?? '') });
        return fetch(url, init);
      },
    });

  const codeFor = async (clientId: string, redirectUri: string): Promise<string> => {
    const res = await fetch(`${sim.url}/oauth/v2/authorize?${new URLSearchParams({ client_id: clientId, scope: 'bot', redirect_uri: redirectUri, team: 'T0OAUTH001' })}`, { redirect: 'manual' });
    return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
  };

  it('exchanges a code with HTTP Basic client auth and returns the bot side', async () => {
    const app = sim.addApp({ classic: true, socketMode: false });
    registerSecrets(app.clientSecret);
    const code = await codeFor(app.clientId, 'https://lifeline.example/slack/oauth_redirect');
    sent.length = 0;

    const access = await api().oauthV2Access({ clientId: app.clientId, clientSecret: app.clientSecret }, { grantType: 'authorization_code', code, redirectUri: 'https://lifeline.example/slack/oauth_redirect' });

    expect(access).toMatchObject({ appId: app.appId, tokenType: 'bot', scopes: ['bot'], team: { id: 'T0OAUTH001' }, isEnterpriseInstall: false });
    expect(access.accessToken).toMatch(/^xoxb-/);
    expect(access.botUserId).toMatch(/^U/);
    expect(sent[0]?.authorization).toBe(`Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`);
    expect(sent[0]?.body).not.toContain(app.clientSecret);
    expect(new URLSearchParams(sent[0]?.body).get('grant_type')).toBe('authorization_code');
  });

  it('returns refresh token and lifetime for a rotating app, and refreshes with them', async () => {
    const app = sim.addApp({ classic: true, socketMode: false, tokenRotation: true });
    registerSecrets(app.clientSecret);
    const client = { clientId: app.clientId, clientSecret: app.clientSecret };
    const first = await api().oauthV2Access(client, { grantType: 'authorization_code', code: await codeFor(app.clientId, 'https://x.example/cb'), redirectUri: 'https://x.example/cb' });
    expect(first.refreshToken).toMatch(/^xoxe-1-/);
    expect(first.expiresInS).toBeGreaterThan(43_000);

    const renewed = await api().oauthV2Access(client, { grantType: 'refresh_token', refreshToken: first.refreshToken! });

    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.refreshToken).not.toBe(first.refreshToken);
  });

  it('reports Slack errors: invalid_code, bad_client_secret, bad_redirect_uri', async () => {
    const app = sim.addApp({ classic: true, socketMode: false });
    registerSecrets(app.clientSecret);
    const error = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof SlackApiError ? e.error : String(e)));
    const client = { clientId: app.clientId, clientSecret: app.clientSecret };

    expect(await error(api().oauthV2Access(client, { grantType: 'authorization_code', code: 'nope' }))).toBe('invalid_code');
    expect(await error(api().oauthV2Access({ ...client, clientSecret: 'wrong' }, { grantType: 'authorization_code', code: 'nope' }))).toBe('bad_client_secret');
    const code = await codeFor(app.clientId, 'https://a.example/cb');
    expect(await error(api().oauthV2Access(client, { grantType: 'authorization_code', code, redirectUri: 'https://b.example/cb' }))).toBe('bad_redirect_uri');
  });
});
