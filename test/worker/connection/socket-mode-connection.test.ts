import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError, IntervalTicker, openSlackConnection, type LivenessOptions, type SlackConnection } from '../../../functions/worker/connection';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { createManualClock, startSlackSimulator, type AppHandle, type SimulatorOptionsInput, type SlackSimulator } from '../../../shared/slack-simulator';
import { ManualTicker } from '../support/manual-time';
import { Recorder, settled } from '../support/recorder';
import { eventually } from '../../support/wait-for';

let sim: SlackSimulator;
let app: AppHandle;
const ticker = new IntervalTicker({ intervalMs: 50 });
const open: SlackConnection[] = [];
// Short enough to see deaths quickly, wide enough that a loaded machine never kills a healthy socket.
const LIVENESS: Partial<LivenessOptions> = { pingIdleMs: 300, deadAfterMs: 1_500, helloTimeoutMs: 3_000 };

async function setup(options: SimulatorOptionsInput['socketMode'] = {}, clock?: SimulatorOptionsInput['clock']): Promise<void> {
  sim = await startSlackSimulator({ rateLimits: false, socketMode: { afterDisconnectDelayMs: 50, ...options }, ...(clock ? { clock } : {}) });
  app = sim.addApp();
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close('test over')));
  await sim.close();
});

async function connect(rec: Recorder, liveness: Partial<LivenessOptions> = LIVENESS): Promise<SlackConnection> {
  const { url } = await new HttpSlackApi({ apiUrl: sim.apiUrl }).openSocketModeConnection(app.appToken);
  const conn = openSlackConnection({ protocol: 'socket', url, handlers: rec, ticker, liveness });
  open.push(conn);
  return conn;
}

async function connected(rec = new Recorder()): Promise<{ conn: SlackConnection; rec: Recorder }> {
  const conn = await connect(rec);
  await conn.opened;
  return { conn, rec };
}

describe('Socket Mode connection: connect', () => {
  it('opened resolves on hello with num_connections and the announced lifetime', async () => {
    await setup();
    const conn = await connect(new Recorder());
    await expect(conn.opened).resolves.toEqual({ numConnections: 1, approximateConnectionTimeS: 18_060 });
    expect(conn.isOpen).toBe(true);
    expect(sim.truth.openNow(app.appId)).toBe(1);
  });

  it('link_disabled instead of hello fails the connect with that reason', async () => {
    await setup();
    sim.faults.disableSocketMode(app.appId);
    const rec = new Recorder();
    const out = await settled((await connect(rec)).opened);
    expect(out.ok).toBe(false);
    expect((out as { error: ConnectError }).error).toBeInstanceOf(ConnectError);
    expect((out as { error: ConnectError }).error.error).toBe('link_disabled');
    expect(rec.calls).toEqual([]);
  });

  it('too_many_websockets instead of hello fails the connect with that reason', async () => {
    await setup({ maxConnectionsPerApp: 1 });
    await connected();
    const out = await settled((await connect(new Recorder())).opened);
    expect((out as { error: ConnectError }).error.error).toBe('too_many_websockets');
    expect(sim.truth.connects(app.appId).map((c) => c.outcome)).toEqual(['hello', 'too_many_websockets']);
  });
});

describe('Socket Mode connection: envelopes and acks', () => {
  it('an events_api envelope reaches onEvent with its fields, and the ack is recorded by Slack', async () => {
    await setup();
    const rec = new Recorder();
    const { conn } = await connected(rec);
    rec.onEventHook = (e) => expect(conn.ack(e.envelopeId!)).toBe(true);
    const [emitted] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'hi' });
    await eventually(() => sim.truth.envelopes.get(emitted!.envelopeId!)?.ackedAt !== undefined, 10_000, 'the ack');
    expect(rec.events).toEqual([{
      kind: 'events_api', envelopeId: emitted!.envelopeId, acceptsResponsePayload: false, retryAttempt: 0, retryReason: '',
      payload: expect.objectContaining({ type: 'event_callback', event_id: emitted!.eventId }),
    }]);
    const record = sim.truth.envelopes.get(emitted!.envelopeId!)!;
    expect(record.ackSocketId).toBe(sim.sockets({ appId: app.appId })[0]!.socketId);
    expect(record.deliveries).toHaveLength(1);
  });

  it('a slash command is acked with a response payload', async () => {
    await setup();
    const rec = new Recorder();
    const { conn } = await connected(rec);
    rec.onEventHook = (e) => conn.ack(e.envelopeId!, { text: 'pong' });
    const id = sim.emitEnvelope(app.appId, 'slash_commands', { command: '/ping' });
    await eventually(() => sim.truth.envelopes.get(id)?.ackedAt !== undefined, 10_000, 'the ack');
    expect(rec.events[0]).toMatchObject({ kind: 'slash_commands', envelopeId: id, acceptsResponsePayload: true, payload: { command: '/ping' } });
    expect(rec.events[0]!.retryAttempt).toBeUndefined();
    expect(sim.truth.envelopes.get(id)!.ackPayload).toEqual({ text: 'pong' });
  });

  it('never acks by itself: an envelope the worker did not ack comes back as a timeout retry', async () => {
    await setup({ ackTimeoutMs: 200, retryDelaysMs: [0, 60_000, 300_000] });
    const rec = new Recorder();
    const { conn } = await connected(rec);
    const [emitted] = sim.emitEvent(app.appId, { type: 'app_mention' });
    await eventually(() => rec.events.length === 2, 10_000, 'the redelivery');
    expect(rec.events.map((e) => [e.envelopeId, e.retryAttempt, e.retryReason])).toEqual([
      [emitted!.envelopeId, 0, ''], [emitted!.envelopeId, 1, 'timeout'],
    ]);
    expect(sim.truth.envelopes.get(emitted!.envelopeId!)!.ackedAt).toBeUndefined();
    expect(conn.ack(emitted!.envelopeId!)).toBe(true);
    await eventually(() => sim.truth.envelopes.get(emitted!.envelopeId!)!.ackedAt !== undefined, 10_000, 'the late ack');
  });

  it('ack returns false once the socket is closed', async () => {
    await setup();
    const { conn } = await connected();
    await conn.close('done');
    expect(conn.ack('E123')).toBe(false);
  });
});

describe('Socket Mode connection: disconnect messages', () => {
  it('warning calls onRefresh and leaves the socket open', async () => {
    await setup();
    const { conn, rec } = await connected();
    sim.faults.disconnect({ appId: app.appId }, 'warning');
    await eventually(() => rec.refreshes.length === 1, 10_000, 'the refresh');
    expect(rec.refreshes).toEqual(['warning']);
    // The socket still carries traffic after the warning: an envelope sent behind it arrives and is acked.
    rec.onEventHook = (e) => conn.ack(e.envelopeId!);
    const [after] = sim.emitEvent(app.appId, { type: 'app_mention' });
    await eventually(() => sim.truth.envelopes.get(after!.envelopeId!)?.ackedAt !== undefined, 10_000, 'an envelope acked after the warning');
    expect(conn.isOpen).toBe(true);
    expect(rec.closes).toEqual([]);
  });

  it('refresh_requested calls onRefresh, then the server close arrives as onClose closed 1000', async () => {
    await setup();
    const { rec } = await connected();
    sim.faults.disconnect({ appId: app.appId }, 'refresh_requested');
    await eventually(() => rec.closes.length === 1, 10_000, 'the close');
    expect(rec.calls).toEqual(['refresh', 'close']);
    expect(rec.refreshes).toEqual(['refresh_requested']);
    expect(rec.closes[0]).toMatchObject({ kind: 'closed', code: 1000 });
  });

  it('link_disabled on a live socket is a notice, not a refresh', async () => {
    await setup();
    const { rec } = await connected();
    sim.faults.disableSocketMode(app.appId);
    await eventually(() => rec.closes.length === 1, 10_000, 'the close');
    expect(rec.calls).toEqual(['notice', 'close']);
    expect(rec.notices).toEqual(['link_disabled']);
  });

  it('too_many_websockets on a live socket is a notice', async () => {
    await setup();
    const { rec } = await connected();
    sim.faults.disconnect({ appId: app.appId }, 'too_many_websockets');
    await eventually(() => rec.notices.length === 1, 10_000, 'the notice');
    expect(rec.notices).toEqual(['too_many_websockets']);
    expect(rec.refreshes).toEqual([]);
  });
});

describe('Socket Mode connection: liveness', () => {
  it('a black-holed socket is declared dead once nothing arrived for deadAfterMs, never earlier', async () => {
    await setup();
    const { conn, rec } = await connected();
    const blackHoledAt = Date.now();
    sim.faults.blackHole({ appId: app.appId });
    await eventually(() => rec.closes.length === 1, 10_000, 'the dead verdict');
    const elapsed = Date.now() - blackHoledAt;
    const cause = rec.closes[0]!;
    expect(cause).toMatchObject({ kind: 'dead', watchdog: 'silence' });
    expect((cause as { silentForMs: number }).silentForMs).toBeGreaterThanOrEqual(1_500);
    // Logical bound with slack for a loaded machine: the window plus ticks, not Slack's 30 s server-ping timeout.
    expect(elapsed).toBeLessThan(1_500 + 5_000);
    expect(conn.isOpen).toBe(false);
  });

  it('no server ping for serverPingTimeoutMs is death even though our pings are answered', async () => {
    await setup({ serverPingIntervalMs: 0 });
    const rec = new Recorder();
    const conn = await connect(rec, { ...LIVENESS, serverPingTimeoutMs: 2_000 });
    await conn.opened;
    await eventually(() => rec.closes.length === 1, 10_000, 'the watchdog');
    expect(rec.closes[0]).toMatchObject({ kind: 'dead', watchdog: 'server_ping' });
    expect((rec.closes[0] as { silentForMs: number }).silentForMs).toBeGreaterThanOrEqual(2_000);
  });

  it('server pings keep the watchdog quiet', async () => {
    // One injected clock for the simulator's ping loop and the connection's watchdog: 2.5 s of
    // pings every 200 ms pass in as many steps as it takes, with no real wait.
    const clock = createManualClock();
    await setup({ serverPingIntervalMs: 200 }, clock);
    const manual = new ManualTicker();
    const rec = new Recorder();
    const { url } = await new HttpSlackApi({ apiUrl: sim.apiUrl }).openSocketModeConnection(app.appToken);
    const conn = openSlackConnection({ protocol: 'socket', url, handlers: rec, ticker: manual, clock, liveness: { ...LIVENESS, serverPingTimeoutMs: 1_200 } });
    open.push(conn);
    await conn.opened;
    rec.onEventHook = (e) => conn.ack(e.envelopeId!);
    const started = clock.now();
    for (let step = 1; step <= 25; step += 1) {
      clock.advance(100);
      sim.tick(); // sends the server pings now due
      // Frames arrive in order: once an envelope sent after the pings is in, so are the pings.
      // (Traffic refreshes only the silence watchdog; the server-ping watchdog needs pings.)
      const [marker] = sim.emitEvent(app.appId, { type: 'app_mention', step });
      await eventually(() => rec.events.some((e) => e.envelopeId === marker!.envelopeId), 10_000, `envelope ${step}`);
      manual.tick();
      expect(rec.closes, `at +${clock.now() - started} ms`).toEqual([]);
    }
    expect(clock.now() - started).toBeGreaterThan(2 * 1_200);
    expect(conn.isOpen).toBe(true);
  });
});
