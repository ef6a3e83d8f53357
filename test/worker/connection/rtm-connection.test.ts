import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectError, IntervalTicker, openSlackConnection, type SlackConnection } from '../../../functions/worker/connection';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { createManualClock, startSlackSimulator, type SlackSimulator, type WorkspaceHandle } from '../../../shared/slack-simulator';
import { freePort } from '../../support/free-port';
import { ManualClock, ManualTicker } from '../support/manual-time';
import { Recorder, settled } from '../support/recorder';
import { eventually } from '../../support/wait-for';
import { startTcpProxy } from '../support/tcp-proxy';

let sim: SlackSimulator;
let api: HttpSlackApi;
let team: WorkspaceHandle;
let ticker: IntervalTicker;
const open: SlackConnection[] = [];

beforeEach(async () => {
  // Short goodbye→close so the refresh tests also see the server's close.
  sim = await startSlackSimulator({ rateLimits: false, rtm: { goodbyeCloseDelayMs: 100 } });
  api = new HttpSlackApi({ apiUrl: sim.apiUrl });
  team = sim.addWorkspace();
  ticker = new IntervalTicker({ intervalMs: 50 });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close('test over')));
  ticker.stop();
  await sim.close();
});

async function connect(rec: Recorder, extra: { url?: string; ticker?: ManualTicker; clock?: ManualClock } = {}): Promise<SlackConnection> {
  const url = extra.url ?? (await api.rtmConnect(team.botToken)).url;
  const conn = openSlackConnection({
    protocol: 'rtm', url, handlers: rec, ticker: extra.ticker ?? ticker, clock: extra.clock,
    // Wide enough that a loaded machine never kills a healthy socket in the middle of a test.
    liveness: { pingIdleMs: 300, deadAfterMs: 1_500, helloTimeoutMs: 2_000 },
  });
  open.push(conn);
  return conn;
}

async function connectError(conn: SlackConnection): Promise<ConnectError> {
  const out = await settled(conn.opened);
  expect(out.ok).toBe(false);
  const err = (out as { error: unknown }).error;
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}

describe('RTM connection: connect', () => {
  it('opened resolves on hello, and the simulator counts one live socket', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    expect(conn.isOpen).toBe(false);
    await expect(conn.opened).resolves.toEqual({});
    expect(conn.isOpen).toBe(true);
    expect(sim.truth.connects(team.teamId).map((c) => c.outcome)).toEqual(['hello']);
    expect(sim.truth.openNow(team.teamId)).toBe(1);
    expect(rec.calls).toEqual([]);
  });

  it('a withheld hello fails with hello_timeout exactly at helloTimeoutMs, and the socket is destroyed', async () => {
    sim.faults.withholdHello({ key: team.teamId });
    const clock = new ManualClock(0);
    const manual = new ManualTicker();
    const rec = new Recorder();
    const conn = await connect(rec, { ticker: manual, clock });
    await eventually(() => sim.truth.openNow(team.teamId) === 1, 10_000, 'the simulator to accept the socket');
    manual.tickAt(clock, 1_999);
    expect(manual.targets.size).toBe(1);
    manual.tickAt(clock, 2_000);
    expect((await connectError(conn)).error).toBe('hello_timeout');
    expect(manual.targets.size).toBe(0);
    await eventually(() => sim.truth.openNow(team.teamId) === 0, 10_000, 'the simulator to see the socket gone');
    expect(rec.calls).toEqual([]);
  });

  it('a stalled tick (event loop blocked) does not fail a connect', async () => {
    sim.faults.withholdHello({ key: team.teamId });
    const clock = new ManualClock(0);
    const manual = new ManualTicker();
    const conn = await connect(new Recorder(), { ticker: manual, clock });
    manual.tickAt(clock, 5_000, true);
    expect(manual.targets.size).toBe(1);
    manual.tickAt(clock, 5_000);
    expect((await connectError(conn)).error).toBe('hello_timeout');
  });

  it('an expired URL fails with socket_url_expired (Slack\'s error frame)', async () => {
    await sim.close();
    // The simulator's injected clock expires the URL: no waiting for its TTL.
    const simClock = createManualClock();
    sim = await startSlackSimulator({ rateLimits: false, rtm: { urlTtlMs: 1_000 }, clock: simClock });
    api = new HttpSlackApi({ apiUrl: sim.apiUrl });
    team = sim.addWorkspace();
    const { url } = await api.rtmConnect(team.botToken);
    simClock.advance(1_001);
    const rec = new Recorder();
    const conn = await connect(rec, { url });
    expect((await connectError(conn)).error).toBe('socket_url_expired');
    expect(sim.truth.connects(team.teamId).map((c) => c.outcome)).toEqual(['expired_url']);
    expect(rec.calls).toEqual([]);
  });

  it('an upgrade refused with HTTP 408 fails with http_408', async () => {
    sim.faults.refuseUpgrades({ key: team.teamId }, 408);
    const conn = await connect(new Recorder());
    expect((await connectError(conn)).error).toBe('http_408');
    expect(sim.truth.connects(team.teamId).map((c) => c.outcome)).toEqual(['refused']);
  });

  it('a server close before hello fails with close_<code> (token disabled between URL and connect)', async () => {
    const { url } = await api.rtmConnect(team.botToken);
    sim.setTokenStatus(team.botToken, 'inactive');
    const rec = new Recorder();
    const conn = await connect(rec, { url });
    expect((await connectError(conn)).error).toBe('close_1000');
    expect(rec.calls).toEqual([]);
  });

  it('a refused TCP connect fails with ECONNREFUSED', async () => {
    const conn = await connect(new Recorder(), { url: `ws://127.0.0.1:${await freePort()}/websocket/x` });
    expect((await connectError(conn)).error).toBe('ECONNREFUSED');
  });
});

describe('RTM connection: frames', () => {
  it('events go to onEvent with the whole frame; replies and pongs do not', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    await conn.opened;
    sim.emitEvent(team.teamId, { type: 'message', channel: 'C1', text: 'hi' }, { via: ['rtm'] });
    await eventually(() => rec.events.length === 1, 10_000, 'the event');
    expect(rec.events[0]).toEqual({ kind: 'message', payload: expect.objectContaining({ type: 'message', channel: 'C1', text: 'hi' }) });
    expect(rec.refreshes).toEqual([]);
  });

  it('goodbye calls onRefresh, then the server close arrives as onClose closed 1000', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    await conn.opened;
    expect(sim.faults.goodbye({ teamId: team.teamId })).toBe(1);
    await eventually(() => rec.closes.length === 1, 10_000, 'the close after goodbye');
    expect(rec.calls).toEqual(['refresh', 'close']);
    expect(rec.refreshes).toEqual(['goodbye']);
    expect(rec.closes[0]).toEqual({ kind: 'closed', code: 1000, reason: '' });
  });

  it('team_migration_started calls onRefresh', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    await conn.opened;
    sim.faults.teamMigration({ teamId: team.teamId });
    await eventually(() => rec.refreshes.length === 1, 10_000, 'the refresh');
    expect(rec.refreshes).toEqual(['team_migration_started']);
    expect(conn.isOpen).toBe(true);
  });
});

describe('RTM connection: drops', () => {
  it('a killed socket (TCP dropped, no close frame) is reported once as closed 1006', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    await conn.opened;
    sim.faults.kill({ teamId: team.teamId });
    await eventually(() => rec.closes.length === 1, 10_000, 'onClose');
    expect(rec.closes).toEqual([{ kind: 'closed', code: 1006, reason: '' }]);
    expect(conn.isOpen).toBe(false);
    await conn.close('after the fact');
    expect(rec.closes).toHaveLength(1);
  });

  it('a server close with a code reports that code and reason', async () => {
    const rec = new Recorder();
    const conn = await connect(rec);
    await conn.opened;
    sim.faults.close({ teamId: team.teamId }, 4002, 'going');
    await eventually(() => rec.closes.length === 1, 10_000, 'onClose');
    expect(rec.closes).toEqual([{ kind: 'closed', code: 4002, reason: 'going' }]);
  });

  it('a black-holed socket is declared dead exactly deadAfterMs after the last frame, and TCP is torn down', async () => {
    const proxy = await startTcpProxy(Number(new URL(sim.url).port));
    try {
      const clock = new ManualClock(0);
      const manual = new ManualTicker();
      const rec = new Recorder();
      const conn = await connect(rec, { url: proxy.via((await api.rtmConnect(team.botToken)).url), ticker: manual, clock });
      await conn.opened;
      expect(sim.faults.blackHole({ teamId: team.teamId })).toBe(1);
      for (const at of [100, 300, 600, 1_499]) manual.tickAt(clock, at);
      expect(rec.closes).toEqual([]);
      manual.tickAt(clock, 1_500, true);
      expect(rec.closes).toEqual([]);
      manual.tickAt(clock, 1_500);
      expect(rec.closes).toEqual([{ kind: 'dead', silentForMs: 1_500, watchdog: 'silence' }]);
      expect(conn.isOpen).toBe(false);
      await eventually(() => proxy.connections[0]?.clientClosedAt, 10_000, 'the client to drop TCP');
      // The simulator never learns (the network ate everything): it still counts the socket.
      expect(sim.truth.openNow(team.teamId)).toBe(1);
      manual.tickAt(clock, 10_000);
      expect(rec.closes).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
