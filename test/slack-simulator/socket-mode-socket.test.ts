import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi, eventually, isType, openSocketMode, RawClient, type UpgradeRefused } from './support/helpers';

let sim: SlackSimulator;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim?.close();
});
async function open(appToken: string, suffix = ''): Promise<RawClient> {
  const c = await openSocketMode(sim, appToken, suffix);
  clients.push(c);
  return c;
}
const envelopes = (c: RawClient): Record<string, unknown>[] => c.frames.filter((f) => 'envelope_id' in f);

describe('Socket Mode socket', () => {
  it('says hello with num_connections, debug_info and connection_info', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    const a = await open(app.appToken);
    expect(await a.frame(() => true)).toMatchObject({
      type: 'hello', num_connections: 1, connection_info: { app_id: app.appId },
      debug_info: { host: 'applink-1', build_number: 54, approximate_connection_time: 18060, started: expect.any(String) },
    });
    const b = await open(app.appToken, '&debug_reconnects=true');
    expect(await b.frame(isType('hello'))).toMatchObject({ num_connections: 2, debug_info: { approximate_connection_time: 360 } });
  });

  it('sends too_many_websockets to the 11th socket and never holds more than 10', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    for (let i = 0; i < 10; i += 1) await (await open(app.appToken)).frame(isType('hello'));
    const eleventh = await open(app.appToken);
    expect(await eleventh.frame(() => true)).toMatchObject({
      type: 'disconnect', reason: 'too_many_websockets', num_connections: 11, connection_info: { app_id: app.appId },
    });
    expect((await eleventh.closeEvent()).code).toBe(1000);
    expect(eleventh.frames.some(isType('hello'))).toBe(false);
    expect(sim.truth.maxOpen(app.appId)).toBe(10);
    expect(sim.truth.connects(app.appId).at(-1)?.outcome).toBe('too_many_websockets');
  });

  it('can send too_many_websockets to the oldest socket instead', async () => {
    sim = await startSlackSimulator({ rateLimits: false, socketMode: { maxConnectionsPerApp: 2, tooManyVictim: 'oldest' } });
    const app = sim.addApp();
    const first = await open(app.appToken);
    await first.frame(isType('hello'));
    await (await open(app.appToken)).frame(isType('hello'));
    const third = await open(app.appToken);
    await third.frame(isType('hello'));
    expect(await first.frame(isType('disconnect'))).toMatchObject({ reason: 'too_many_websockets' });
  });

  it('delivers each envelope to exactly one socket, and the ack settles it', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, socketMode: { ackTimeoutMs: 100, retryDelaysMs: [0] } });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const socks = [await open(app.appToken), await open(app.appToken), await open(app.appToken)];
    for (const s of socks) await s.frame(isType('hello'));
    const results = Array.from({ length: 6 }, (_, i) => sim.emitEvent(app.appId, { type: 'app_mention', text: `m${i}` })[0]!);
    await eventually(() => socks.reduce((n, s) => n + envelopes(s).length, 0) === 6, 2000, 'six envelopes');
    const got = socks.flatMap(envelopes);
    expect(new Set(got.map((e) => e.envelope_id)).size).toBe(6);
    expect(got[0]).toMatchObject({
      type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '',
      payload: { type: 'event_callback', team_id: ws.teamId, api_app_id: app.appId, event: { type: 'app_mention' } },
    });
    for (const s of socks) for (const e of envelopes(s)) s.send({ envelope_id: e.envelope_id });
    await eventually(() => sim.truth.envelopeStats(app.appId).acked === 6, 2000, 'acks');
    // Past every ack timeout on the simulator's clock: a redelivery still armed would run now.
    clock.advance(1_000);
    sim.tick();
    expect(sim.truth.envelopeStats(app.appId)).toEqual({ delivered: 6, acked: 6, redelivered: 0, dropped: 0, pending: 0 });
    expect(results.every((r) => sim.truth.envelopes.get(r.envelopeId!)?.ackedAt !== undefined)).toBe(true);
  });

  it('redelivers an unacked events_api envelope with retry_attempt and retry_reason, then gives up', async () => {
    sim = await startSlackSimulator({ socketMode: { ackTimeoutMs: 50, retryDelaysMs: [0, 20, 20] } });
    const app = sim.addApp();
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    const [r] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'ignored' });
    await eventually(() => sim.truth.envelopes.get(r!.envelopeId!)?.dropped, 3000, 'dropped');
    expect(envelopes(c).map((e) => [e.envelope_id, e.retry_attempt, e.retry_reason])).toEqual([
      [r!.envelopeId, 0, ''], [r!.envelopeId, 1, 'timeout'], [r!.envelopeId, 2, 'timeout'], [r!.envelopeId, 3, 'timeout'],
    ]);
    expect(sim.truth.envelopeStats(app.appId)).toMatchObject({ delivered: 4, redelivered: 3, acked: 0, dropped: 1 });
  });

  it('does not retry slash_commands; their ack may carry a response payload', async () => {
    sim = await startSlackSimulator({ socketMode: { ackTimeoutMs: 50 } });
    const app = sim.addApp();
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    const id = sim.emitEnvelope(app.appId, 'slash_commands', { command: '/lifeline', text: 'status' });
    const env = await c.frame((f) => f.envelope_id === id);
    expect(env).toMatchObject({ type: 'slash_commands', accepts_response_payload: true, payload: { command: '/lifeline' } });
    expect('retry_attempt' in env).toBe(false);
    c.send({ envelope_id: id, payload: { text: 'all green' } });
    await eventually(() => sim.truth.envelopes.get(id)?.ackedAt, 2000, 'ack');
    expect(sim.truth.envelopes.get(id)?.ackPayload).toEqual({ text: 'all green' });
  });

  it('queues events while no socket is open and delivers them as retries', async () => {
    sim = await startSlackSimulator({ socketMode: { ackTimeoutMs: 50, retryDelaysMs: [0, 100, 100] } });
    const app = sim.addApp();
    const [r] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'while away' });
    expect(sim.truth.envelopes.get(r!.envelopeId!)?.deliveries).toEqual([expect.objectContaining({ attempt: 0, socketId: null })]);
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    const env = await c.frame((f) => f.envelope_id === r!.envelopeId, 2000);
    expect(env.retry_attempt).toBeGreaterThanOrEqual(1);
    expect(env.retry_reason).toBe('timeout');
    c.send({ envelope_id: env.envelope_id });
    await eventually(() => sim.truth.envelopes.get(r!.envelopeId!)?.ackedAt, 2000, 'ack');
  });

  it('warns, then asks for a refresh at the end of the connection lifetime, then closes', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, socketMode: { lifetimeMs: 60_000, warningLeadMs: 10_000, afterDisconnectDelayMs: 1_000 } });
    const app = sim.addApp();
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    clock.advance(50_000);
    sim.tick();
    expect(await c.frame(isType('disconnect'))).toEqual({ type: 'disconnect', reason: 'warning', debug_info: { host: 'applink-1' } });
    clock.advance(10_000);
    sim.tick();
    await c.frame((f) => f.reason === 'refresh_requested');
    expect(c.closed).toBeUndefined();
    clock.advance(1_000);
    sim.tick();
    expect((await c.closeEvent()).code).toBe(1000);
  });

  it('sends WebSocket ping frames `Ping from <host>` on one shared interval', async () => {
    sim = await startSlackSimulator({ socketMode: { serverPingIntervalMs: 30 } });
    const app = sim.addApp();
    const [a, b] = [await open(app.appToken), await open(app.appToken)];
    await a.until(() => (a.pings.length >= 2 ? true : undefined), 2000, 'pings on a');
    await b.until(() => (b.pings.length >= 2 ? true : undefined), 2000, 'pings on b');
    expect(a.pings[0]).toBe('Ping from applink-1');
  });

  it('tells every socket link_disabled when Socket Mode is switched off, and later sockets too', async () => {
    sim = await startSlackSimulator({ socketMode: { afterDisconnectDelayMs: 10 } });
    const app = sim.addApp();
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    expect(sim.faults.disableSocketMode(app.appId)).toBe(1);
    expect(await c.frame(isType('disconnect'))).toMatchObject({ reason: 'link_disabled' });
    await c.closeEvent();
    const later = await open(app.appToken);
    expect(await later.frame(() => true)).toMatchObject({ type: 'disconnect', reason: 'link_disabled' });
  });

  it('refuses a reused or late Socket Mode URL at the upgrade', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const app = sim.addApp();
    const r = await callApi(sim, 'apps.connections.open', {}, { bearer: app.appToken });
    const first = await RawClient.open(String(r.body.url));
    clients.push(first);
    await first.frame(isType('hello'));
    expect(await RawClient.open(String(r.body.url)).catch((e: unknown) => (e as UpgradeRefused).status)).toBe(401);
    const late = await callApi(sim, 'apps.connections.open', {}, { bearer: app.appToken });
    clock.advance(30_001);
    expect(await RawClient.open(String(late.body.url)).catch((e: unknown) => (e as UpgradeRefused).status)).toBe(401);
    expect(sim.truth.connects(app.appId).map((c) => c.outcome)).toEqual(['hello', 'bad_ticket', 'bad_ticket']);
  });

  it('delivers nothing for a workspace once the app is uninstalled there', async () => {
    sim = await startSlackSimulator({ uninstallEventOrder: 'tokens_revoked_first' });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const c = await open(app.appToken);
    await c.frame(isType('hello'));
    sim.uninstall(app.appId, ws.teamId);
    await eventually(() => envelopes(c).length === 2, 2000, 'lifecycle envelopes');
    expect(sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'app_mention' })).toEqual([]);
    expect(sim.emitEvent(ws.teamId, { type: 'app_mention' })).toEqual([]);
    await c.roundTrip(); // an envelope written for those events would have arrived before the pong
    expect(envelopes(c)).toHaveLength(2);
  });
});
