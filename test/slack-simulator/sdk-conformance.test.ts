import { RTMClient } from '@slack/rtm-api';
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient, WebClientEvent, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { eventually } from './support/helpers';

// Slack's own clients, unmodified but for the API base URL, are the judges of faithfulness.
let sim: SlackSimulator;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn().catch(() => undefined);
  await sim?.close();
});

describe('@slack/socket-mode SocketModeClient', () => {
  it('connects, receives an events_api envelope, acks it, and reconnects after refresh_requested', async () => {
    sim = await startSlackSimulator({ socketMode: { serverPingIntervalMs: 200, afterDisconnectDelayMs: 200 } });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const client = new SocketModeClient({
      appToken: app.appToken, clientOptions: { slackApiUrl: sim.apiUrl }, logLevel: LogLevel.ERROR,
      // Shorter heartbeats than the defaults keep the test quick; the reconnect delay is
      // clientPingTimeout × failures. Generous enough that a busy machine does not miss a pong.
      clientPingTimeout: 1_500, serverPingTimeout: 5_000,
    });
    cleanups.push(() => client.disconnect());
    const mentions: { text: unknown; retry: unknown }[] = [];
    client.on('app_mention', async ({ ack, event, retry_num }) => {
      await ack();
      mentions.push({ text: event.text, retry: retry_num });
    });
    let connected = 0;
    client.on('connected', () => (connected += 1));

    await client.start();
    expect(sim.truth.openNow(app.appId)).toBe(1);

    const [first] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'hello', user: 'U1', channel: 'C1' });
    await eventually(() => sim.truth.envelopes.get(first!.envelopeId!)?.ackedAt, 3000, 'ack');
    expect(mentions).toEqual([{ text: 'hello', retry: 0 }]);
    expect(first!.teamId).toBe(ws.teamId);
    expect(sim.truth.envelopeStats(app.appId)).toMatchObject({ delivered: 1, acked: 1, redelivered: 0 });

    expect(sim.faults.disconnect({ appId: app.appId }, 'refresh_requested')).toBe(1);
    await eventually(() => connected >= 2, 8000, 'reconnect');
    expect(sim.truth.calls('apps.connections.open').filter((c) => c.outcome === 'ok')).toHaveLength(2);
    expect(sim.truth.connects(app.appId).map((c) => c.outcome)).toEqual(['hello', 'hello']);
    await eventually(() => sim.truth.openNow(app.appId) === 1, 3000, 'old socket closed');
    // The client answered the disconnect by closing with 1000 itself.
    expect(sim.truth.closes.find((c) => c.key === app.appId)).toMatchObject({ code: 1000, reason: 'disconnect:refresh_requested' });

    const [second] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'again', user: 'U1', channel: 'C1' });
    await eventually(() => sim.truth.envelopes.get(second!.envelopeId!)?.ackedAt, 3000, 'second ack');
    expect(mentions.map((m) => m.text)).toEqual(['hello', 'again']);
    // Server pings kept the client's serverPingTimeout satisfied all along: no extra reconnects.
    expect(connected).toBe(2);
  });
});

describe('@slack/rtm-api RTMClient', () => {
  it('connects, its keepalive pings get pongs, it receives events, and it reconnects after goodbye', async () => {
    sim = await startSlackSimulator({ rtm: { goodbyeCloseDelayMs: 100 } });
    const ws = sim.addWorkspace();
    const rtm = new RTMClient(ws.botToken, {
      slackApiUrl: sim.apiUrl, logLevel: LogLevel.ERROR, clientPingTimeout: 400, serverPongTimeout: 350,
    });
    cleanups.push(() => rtm.disconnect());
    const pongs: { reply_to: number }[] = [];
    let recommended = 0;
    rtm.on('pong', (e: { reply_to: number }) => pongs.push(e));
    (rtm as unknown as { keepAlive: NodeJS.EventEmitter }).keepAlive.on('recommend_reconnect', () => (recommended += 1));
    const messages: unknown[] = [];
    rtm.on('message', (e: { text: unknown }) => messages.push(e.text));

    const started = await rtm.start();
    expect(started).toMatchObject({ ok: true, self: { id: ws.botUserId }, team: { id: ws.teamId } });
    await eventually(() => pongs.length >= 3, 5000, 'three pongs');
    expect(pongs.every((p) => typeof p.reply_to === 'number')).toBe(true);
    expect(recommended).toBe(0);

    sim.emitEvent(ws.teamId, { type: 'message', text: 'over rtm', channel: 'C1', user: 'U2' });
    await eventually(() => messages.length === 1, 2000, 'message');
    expect(messages).toEqual(['over rtm']);

    let ready = 0;
    rtm.on('ready', () => (ready += 1));
    sim.faults.goodbye({ teamId: ws.teamId });
    await eventually(() => ready >= 1, 10_000, 'reconnect after goodbye');
    expect(sim.truth.calls('rtm.connect', ws.teamId)).toHaveLength(2);
    expect(sim.truth.closes.find((c) => c.key === ws.teamId)).toMatchObject({ by: 'fault', reason: 'goodbye:fault' });
    expect(sim.truth.openNow(ws.teamId)).toBe(1);
  });
});

describe('@slack/web-api WebClient', () => {
  it('gets account_inactive and invalid_auth as platform errors with those codes', async () => {
    sim = await startSlackSimulator();
    const [a, b] = [sim.addWorkspace(), sim.addWorkspace()];
    sim.setTokenStatus(a.botToken, 'inactive');
    sim.setTokenStatus(b.botToken, 'unknown');
    for (const [token, code] of [[a.botToken, 'account_inactive'], [b.botToken, 'invalid_auth']] as const) {
      const web = new WebClient(token, { slackApiUrl: sim.apiUrl, logLevel: LogLevel.ERROR });
      const err = (await web.auth.test().catch((e: unknown) => e)) as WebAPIPlatformError;
      expect(err.code).toBe(ErrorCode.PlatformError);
      expect(err.data.error).toBe(code);
    }
  });

  it('waits out a 429 for the Retry-After the simulator sent, then succeeds', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    sim.faults.rateLimit({ method: 'auth.test', count: 1, retryAfterSeconds: 1 });
    const web = new WebClient(ws.botToken, {
      slackApiUrl: sim.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    });
    const waits: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    const res = await web.auth.test();
    expect(res.ok).toBe(true);
    expect(waits).toEqual([1]);
    const calls = sim.truth.calls('auth.test');
    expect(calls.map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
    expect(calls[0]!.status).toBe(429);
    // The retry came no sooner than the Retry-After allowed.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});
