import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi } from './support/helpers';

const REDIRECT = 'http://localhost/oauth/callback';

// The methods a bot calls from its listeners, judged by Slack's own WebClient.
let sim: SlackSimulator;
afterEach(async () => sim?.close());

const client = (token: string | undefined): WebClient =>
  new WebClient(token, { slackApiUrl: sim.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

async function platformError(call: Promise<unknown>): Promise<string> {
  const err = (await call.then(() => undefined, (e: unknown) => e)) as WebAPIPlatformError | undefined;
  if (!err) throw new Error('the call succeeded');
  expect(err.code).toBe(ErrorCode.PlatformError);
  return err.data.error;
}

describe('a Socket Mode workspace is an installation', () => {
  it('auth.test reports the team, the bot user, the bot id and the app of its bot token', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId, teamName: 'Acme' });
    const who = await client(ws.botToken).auth.test();
    expect(who).toMatchObject({
      ok: true, team_id: ws.teamId, team: 'Acme', user_id: ws.botUserId, bot_id: ws.botId, app_id: app.appId, is_enterprise_install: false,
    });
    expect(ws.botToken.startsWith('xoxb-')).toBe(true);
    // Two workspaces of the same app hold different bots.
    const other = sim.addWorkspace({ appId: app.appId });
    expect(other.botToken).not.toBe(ws.botToken);
    expect((await client(other.botToken).auth.test()).team_id).toBe(other.teamId);
  });
});

describe('chat.postMessage', () => {
  it('posts as the bot to a conversation of its workspace and records which token generation it used', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const res = await client(ws.botToken).chat.postMessage({ channel: ws.generalChannelId, text: 'hello there' });
    expect(res).toMatchObject({
      ok: true, channel: ws.generalChannelId, message: { text: 'hello there', user: ws.botUserId, bot_id: ws.botId, app_id: app.appId },
    });
    expect(res.ts).toMatch(/^\d+\.\d{6}$/);
    const [call] = sim.truth.calls('chat.postMessage', ws.teamId);
    expect(call).toMatchObject({
      outcome: 'ok', teamId: ws.teamId, appId: app.appId, tokenKind: 'bot', tokenGeneration: 1, tokenCurrent: true,
      args: { channel: ws.generalChannelId, text: 'hello there' },
    });
    expect(JSON.stringify(sim.truth.summary(ws.teamId))).not.toContain(ws.botToken);
  });

  it('accepts a channel an event of the workspace mentioned, #general by name, and a user id as a DM', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const web = client(ws.botToken);
    expect(await platformError(web.chat.postMessage({ channel: 'C0SEENLATER', text: 'too early' }))).toBe('channel_not_found');
    sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'message', channel: 'C0SEENLATER', user: 'U0ALICE', text: 'hi' });
    expect((await web.chat.postMessage({ channel: 'C0SEENLATER', text: 'now' })).channel).toBe('C0SEENLATER');
    expect((await web.chat.postMessage({ channel: '#general', text: 'by name' })).channel).toBe(ws.generalChannelId);
    expect((await web.chat.postMessage({ channel: 'U0ALICE', text: 'dm' })).channel).toBe('D0ALICE');
    expect(await platformError(web.chat.postMessage({ channel: ws.generalChannelId, text: '' }))).toBe('no_text');
  });

  it('refuses another workspace\'s conversation, and dead, unknown or missing tokens with Slack\'s errors', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const [a, b, c] = [sim.addWorkspace({ appId: app.appId }), sim.addWorkspace({ appId: app.appId }), sim.addWorkspace({ appId: app.appId })];
    expect(await platformError(client(a.botToken).chat.postMessage({ channel: b.generalChannelId, text: 'x' }))).toBe('channel_not_found');
    sim.setTokenStatus(b.botToken, 'inactive');
    sim.setTokenStatus(c.botToken, 'unknown');
    expect(await platformError(client(b.botToken).chat.postMessage({ channel: b.generalChannelId, text: 'x' }))).toBe('account_inactive');
    expect(await platformError(client(c.botToken).chat.postMessage({ channel: c.generalChannelId, text: 'x' }))).toBe('invalid_auth');
    expect(await platformError(client('xoxb-1-2-nope').chat.postMessage({ channel: a.generalChannelId, text: 'x' }))).toBe('invalid_auth');
    const anonymous = await callApi(sim, 'chat.postMessage', { channel: a.generalChannelId, text: 'x' });
    expect(anonymous.body).toEqual({ ok: false, error: 'not_authed' });
    // The app-level token is no bot token.
    expect((await callApi(sim, 'chat.postMessage', { channel: a.generalChannelId, text: 'x' }, { bearer: app.appToken })).body.error)
      .toBe('not_allowed_token_type');
    expect(sim.truth.calls('chat.postMessage').map((r) => r.outcome)).toEqual([
      'channel_not_found', 'account_inactive', 'invalid_auth', 'invalid_auth', 'not_authed', 'not_allowed_token_type',
    ]);
  });

  it('after a token rotation, truth tells the current token from the replaced one', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp({ tokenRotation: true });
    const ws = sim.addWorkspace({ appId: app.appId });
    const first = await callApi(sim, 'oauth.v2.access', { grant_type: 'refresh_token', refresh_token: 'xoxe-1-wrong' }, {
      basic: [app.clientId, app.clientSecret],
    });
    expect(first.body.error).toBe('invalid_refresh_token');
    // Re-installing through OAuth over the live token keeps it and hands out its refresh token.
    const code = await authorizeCode(app.clientId, ws.teamId);
    const installed = await callApi(sim, 'oauth.v2.access', { code, redirect_uri: REDIRECT }, { basic: [app.clientId, app.clientSecret] });
    const refreshed = await callApi(sim, 'oauth.v2.access', { grant_type: 'refresh_token', refresh_token: String(installed.body.refresh_token) }, {
      basic: [app.clientId, app.clientSecret],
    });
    const [oldToken, newToken] = [String(installed.body.access_token), String(refreshed.body.access_token)];
    expect(newToken).not.toBe(oldToken);
    await client(oldToken).chat.postMessage({ channel: ws.generalChannelId, text: 'old' });
    await client(newToken).chat.postMessage({ channel: ws.generalChannelId, text: 'new' });
    const calls = sim.truth.calls('chat.postMessage', ws.teamId);
    expect(calls.map((c) => [c.args?.text, c.tokenGeneration, c.tokenCurrent])).toEqual([
      ['old', sim.tokenGeneration(oldToken), false],
      ['new', sim.tokenGeneration(newToken), true],
    ]);
    expect(sim.tokenGeneration(newToken)).toBe(sim.tokenGeneration(oldToken)! + 1);
  });

  it('is rate-limited per channel: one busy channel does not throttle another', async () => {
    sim = await startSlackSimulator({ rateLimits: { 'chat.postMessage': { perMinute: 60, burst: 2 } } });
    const ws = sim.addWorkspace();
    sim.addChannel(ws.teamId, 'C0OTHER');
    const web = client(ws.botToken);
    await web.chat.postMessage({ channel: ws.generalChannelId, text: '1' });
    await web.chat.postMessage({ channel: ws.generalChannelId, text: '2' });
    const err = (await web.chat.postMessage({ channel: ws.generalChannelId, text: '3' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    expect((await web.chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' })).ok).toBe(true);
    expect(sim.truth.calls('chat.postMessage').map((c) => c.outcome)).toEqual(['ok', 'ok', 'ratelimited', 'ok']);
  });

  async function authorizeCode(clientId: string, teamId: string): Promise<string> {
    const url = `${sim.url}/oauth/v2/authorize?client_id=${clientId}&scope=chat:write&team=${teamId}&state=s&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '', sim.url);
    const code = location.searchParams.get('code');
    if (!code) throw new Error(`no code in ${location.href}`);
    return code;
  }
});

describe('views.publish and reactions.add', () => {
  it('publishes a Home tab view and refuses a view that is not one', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const web = client(ws.botToken);
    const res = await web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', callback_id: 'home', blocks: [] } });
    expect(res.view).toMatchObject({ type: 'home', callback_id: 'home', team_id: ws.teamId, app_id: app.appId, bot_id: ws.botId });
    expect(res.view?.id).toMatch(/^V/);
    expect(await platformError(web.views.publish({ user_id: 'U0ALICE', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } })))
      .toBe('invalid_arguments');
    expect(sim.truth.calls('views.publish').map((c) => [c.outcome, c.args?.view_type])).toEqual([['ok', 'home'], ['invalid_arguments', 'modal']]);
  });

  it('adds a reaction once per message and emoji, only in the token\'s workspace', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const [ws, other] = [sim.addWorkspace({ appId: app.appId }), sim.addWorkspace({ appId: app.appId })];
    const web = client(ws.botToken);
    const item = { channel: ws.generalChannelId, timestamp: '1700000000.000100' };
    expect((await web.reactions.add({ ...item, name: 'thumbsup' })).ok).toBe(true);
    expect(await platformError(web.reactions.add({ ...item, name: 'thumbsup' }))).toBe('already_reacted');
    expect((await web.reactions.add({ ...item, name: 'tada' })).ok).toBe(true);
    expect(await platformError(web.reactions.add({ channel: other.generalChannelId, timestamp: item.timestamp, name: 'tada' })))
      .toBe('channel_not_found');
    expect(await platformError(web.reactions.add({ ...item, timestamp: 'yesterday', name: 'x' }))).toBe('bad_timestamp');
  });
});
