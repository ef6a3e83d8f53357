import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectError, IntervalTicker, openSlackConnection, type SlackConnection } from '../../../functions/worker/connection';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { startSlackSimulator, type SlackSimulator, type WorkspaceHandle } from '../../../shared/slack-simulator';
import { ManualClock, ManualTicker } from '../support/manual-time';
import { Recorder, settled } from '../support/recorder';
import { eventually } from '../../support/wait-for';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

let sim: SlackSimulator;
let api: HttpSlackApi;
let team: WorkspaceHandle;
let proxy: TcpProxy;

beforeEach(async () => {
  sim = await startSlackSimulator({ rateLimits: false });
  api = new HttpSlackApi({ apiUrl: sim.apiUrl });
  team = sim.addWorkspace();
  proxy = await startTcpProxy(Number(new URL(sim.url).port));
});

afterEach(async () => {
  await proxy.close();
  await sim.close();
});

async function rtm(rec: Recorder, ticker: ManualTicker | IntervalTicker, clock?: ManualClock): Promise<SlackConnection> {
  const { url } = await api.rtmConnect(team.botToken);
  return openSlackConnection({ protocol: 'rtm', url: proxy.via(url), handlers: rec, ticker, clock, liveness: { closeTimeoutMs: 1_000 } });
}

describe('close discipline', () => {
  it('close() completes the handshake with 1000, resolves once the socket is gone, and reports local once', async () => {
    const ticker = new IntervalTicker({ intervalMs: 50 });
    const rec = new Recorder();
    const conn = await rtm(rec, ticker);
    await conn.opened;
    const first = conn.close('rebalance');
    const second = conn.close('again');
    expect(conn.isOpen).toBe(false);
    await Promise.all([first, second]);
    expect(rec.closes).toEqual([{ kind: 'local', reason: 'rebalance' }]);
    await eventually(() => proxy.connections[0]!.clientClosedAt, 10_000, 'TCP to be gone');
    await eventually(() => sim.truth.closes.length === 1, 10_000, 'the simulator to record the close');
    expect(sim.truth.closes[0]).toMatchObject({ code: 1000, by: 'client' });
    expect(ticker.size).toBe(0);
    await conn.close('after');
    expect(rec.closes).toHaveLength(1);
  });

  it('a peer that never answers the close frame is cut off at closeTimeoutMs, not before', async () => {
    const clock = new ManualClock(0);
    const ticker = new ManualTicker();
    const rec = new Recorder();
    const conn = await rtm(rec, ticker, clock);
    await conn.opened;
    sim.faults.blackHole({ teamId: team.teamId });
    clock.set(10);
    let resolved = false;
    const closing = conn.close('shutdown').then(() => {
      resolved = true;
    });
    ticker.tickAt(clock, 1_009);
    // Real time passes for the handshake that will never finish; only the deadline may end it.
    await new Promise((r) => setTimeout(r, 300));
    expect(resolved).toBe(false);
    expect(proxy.connections[0]!.clientClosedAt).toBeUndefined();
    expect(rec.closes).toEqual([]);
    ticker.tickAt(clock, 1_010);
    await closing;
    expect(rec.closes).toEqual([{ kind: 'local', reason: 'shutdown' }]);
    await eventually(() => proxy.connections[0]!.clientClosedAt, 10_000, 'the client to drop TCP');
    expect(ticker.targets.size).toBe(0);
  });

  it('close() before hello aborts the connect: opened rejects with aborted and onClose is never called', async () => {
    sim.faults.withholdHello({ key: team.teamId });
    const ticker = new ManualTicker();
    const rec = new Recorder();
    const conn = await rtm(rec, ticker, new ManualClock(0));
    await eventually(() => sim.truth.openNow(team.teamId) === 1, 10_000, 'the socket to be accepted');
    await conn.close('give up');
    const out = await settled(conn.opened);
    expect((out as { error: ConnectError }).error).toBeInstanceOf(ConnectError);
    expect((out as { error: ConnectError }).error.error).toBe('aborted');
    expect(rec.calls).toEqual([]);
    expect(ticker.targets.size).toBe(0);
    await eventually(() => sim.truth.openNow(team.teamId) === 0, 10_000, 'the simulator to see it gone');
  });

  it('a peer close racing our close is still reported once', async () => {
    const clock = new ManualClock(0);
    const ticker = new ManualTicker();
    const rec = new Recorder();
    const conn = await rtm(rec, ticker, clock);
    await conn.opened;
    sim.faults.kill({ teamId: team.teamId });
    await conn.close('racing');
    await eventually(() => rec.closes.length > 0, 10_000, 'onClose');
    // Past every deadline the connection keeps (close handshake, silence): a second report could
    // only come from one of them, and would come now.
    ticker.tickAt(clock, 60_000);
    await eventually(() => proxy.connections[0]!.clientClosedAt, 10_000, 'TCP to be gone');
    expect(rec.closes).toHaveLength(1);
    expect(ticker.targets.size).toBe(0);
  });
});
