import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LIVENESS, IntervalTicker, livenessVerdict, openSlackConnection, resolveLiveness, type LivenessOptions, type SlackConnection,
} from '../../../functions/worker/connection';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { startSlackSimulator, type SlackSimulator } from '../../../shared/slack-simulator';
import { FakeSlackPeer } from '../support/fake-slack-peer';
import { Recorder } from '../support/recorder';
import { eventually } from '../../support/wait-for';
import { startTcpProxy } from '../support/tcp-proxy';

const O: LivenessOptions = { ...DEFAULT_LIVENESS, pingIdleMs: 5_000, deadAfterMs: 8_000, serverPingTimeoutMs: 30_000 };

describe('livenessVerdict', () => {
  it.each([
    ['recent traffic', { lastRxAt: 1_000, lastPingAt: 0, lastServerPingAt: 1_000 }, 5_999, 'ok'],
    ['idle for pingIdleMs, nothing outstanding', { lastRxAt: 1_000, lastPingAt: 0, lastServerPingAt: 1_000 }, 6_000, 'ping'],
    ['a ping is outstanding', { lastRxAt: 1_000, lastPingAt: 6_000, lastServerPingAt: 1_000 }, 8_999, 'ok'],
    ['the pong arrived: wait a fresh pingIdleMs', { lastRxAt: 6_010, lastPingAt: 6_000, lastServerPingAt: 1_000 }, 11_009, 'ok'],
    ['silent for deadAfterMs', { lastRxAt: 1_000, lastPingAt: 6_000, lastServerPingAt: 1_000 }, 9_000, 'dead'],
  ] as const)('%s', (_name, marks, now, verdict) => {
    expect(livenessVerdict(marks, now, O, false)).toBe(verdict);
  });

  it('Socket Mode: no server ping for serverPingTimeoutMs, though pongs keep coming', () => {
    const marks = { lastRxAt: 40_000, lastPingAt: 39_990, lastServerPingAt: 10_000 };
    expect(livenessVerdict(marks, 40_000, O, true)).toBe('no_server_ping');
    expect(livenessVerdict(marks, 40_000, O, false)).toBe('ok');
  });

  it('an idle link pings at most once per pingIdleMs over a long idle stretch', () => {
    // Pongs come back 30 ms after each ping; tick every 250 ms for ten minutes.
    const m = { lastRxAt: 0, lastPingAt: 0, lastServerPingAt: 0 };
    const pings: number[] = [];
    for (let now = 0; now <= 600_000; now += 250) {
      if (pings.length > 0 && now >= pings[pings.length - 1]! + 30 && m.lastRxAt < pings[pings.length - 1]!) m.lastRxAt = pings[pings.length - 1]! + 30;
      const v = livenessVerdict(m, now, O, false);
      expect(v).not.toBe('dead');
      if (v === 'ping') {
        m.lastPingAt = now;
        pings.push(now);
      }
    }
    for (let i = 1; i < pings.length; i += 1) expect(pings[i]! - pings[i - 1]!).toBeGreaterThanOrEqual(O.pingIdleMs);
    expect(pings.length).toBeGreaterThan(100);
  });

  it('resolveLiveness resolves a shared options object once and rejects nonsense', () => {
    const shared = { pingIdleMs: 200, deadAfterMs: 500 };
    expect(resolveLiveness(shared)).toBe(resolveLiveness(shared));
    expect(resolveLiveness(shared)).toMatchObject({ pingIdleMs: 200, deadAfterMs: 500, closeTimeoutMs: 1_000 });
    expect(resolveLiveness(undefined)).toBe(DEFAULT_LIVENESS);
    expect(() => resolveLiveness({ pingIdleMs: 9_000 })).toThrow(RangeError);
    expect(() => resolveLiveness({ closeTimeoutMs: 0 })).toThrow(RangeError);
  });
});

describe('idle links on the wire', () => {
  const ticker = new IntervalTicker({ intervalMs: 50 });
  const conns: SlackConnection[] = [];
  let peer: FakeSlackPeer | undefined;
  let sim: SlackSimulator | undefined;

  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.close('test over')));
    await peer?.close();
    await sim?.close();
    peer = undefined;
    sim = undefined;
  });

  it.each(['rtm', 'socket'] as const)('%s: an idle healthy link sends at most one ping per pingIdleMs (counted by the peer)', async (protocol) => {
    peer = await FakeSlackPeer.start(protocol);
    const rec = new Recorder();
    // serverPingTimeoutMs long: the fake peer sends no server pings.
    const conn = openSlackConnection({
      protocol, url: peer.url, handlers: rec, ticker, liveness: { pingIdleMs: 200, deadAfterMs: 2_000, serverPingTimeoutMs: 60_000 },
    });
    conns.push(conn);
    await conn.opened;
    const start = Date.now();
    const s = peer.sockets[0]!;
    const pings = protocol === 'rtm' ? s.appPings : s.wsPings;
    const other = protocol === 'rtm' ? s.wsPings : s.appPings;
    // Wait for the peer to count five pings, then judge their rate over the time they took: a
    // worker pinging on every tick (50 ms) would get there four times too fast.
    await eventually(() => pings.length >= 5, 10_000, 'five pings at the peer');
    const elapsed = Date.now() - start;
    // Each ping needs pingIdleMs of silence after the previous pong: at most one per window (+1 for the edge).
    expect(pings.length).toBeLessThanOrEqual(Math.floor(elapsed / 200) + 1);
    expect(other).toEqual([]);
    expect(rec.closes).toEqual([]);
    expect(conn.isOpen).toBe(true);
  });

  it('healthy idle links to the simulator stay open across several deadAfterMs windows (pongs count as liveness)', async () => {
    // Enough RTM write budget for app-level pings every 200 ms (Slack allows 1/s: production pings every 5 s).
    // No server pings: here only our pings and Slack's pongs keep the links alive.
    sim = await startSlackSimulator({ rateLimits: false, rtm: { writesPerSecond: 50, writeBurst: 50 }, socketMode: { serverPingIntervalMs: 0 } });
    const proxy = await startTcpProxy(Number(new URL(sim.url).port));
    try {
      const api = new HttpSlackApi({ apiUrl: sim.apiUrl });
      const team = sim.addWorkspace();
      const app = sim.addApp();
      const liveness = { pingIdleMs: 200, deadAfterMs: 1_000, serverPingTimeoutMs: 3_600_000 };
      const recs = [new Recorder(), new Recorder()];
      conns.push(
        openSlackConnection({ protocol: 'rtm', url: proxy.via((await api.rtmConnect(team.botToken)).url), handlers: recs[0]!, ticker, liveness }),
        openSlackConnection({ protocol: 'socket', url: proxy.via((await api.openSocketModeConnection(app.appToken)).url), handlers: recs[1]!, ticker, liveness }),
      );
      await Promise.all(conns.map((c) => c.opened));
      // A link sends its next ping only once the last pong was read and pingIdleMs passed: fifteen
      // pings each, counted at the proxy, span three deadAfterMs windows of real pongs. Without
      // pong handling both would stop at their first ping and die within a window (failing fast).
      // (Not on injected time: a pong read after the clock moved on is stamped late, and nothing
      // outside the connection can tell when it was read.)
      await eventually(() => {
        if (recs.some((r) => r.closes.length > 0)) throw new Error(`a link died: ${JSON.stringify(recs.map((r) => r.closes))}`);
        return proxy.connections.length === 2 && proxy.connections.every((c) => c.clientWrites >= 16); // the upgrade request, then pings
      }, 15_000, () => `fifteen pings per link: ${proxy.connections.map((c) => c.clientWrites).join(', ')}`);
      expect(recs.map((r) => r.closes)).toEqual([[], []]);
      expect(conns.every((c) => c.isOpen)).toBe(true);
      expect(sim.truth.openNow()).toBe(2);
    } finally {
      await Promise.all(conns.splice(0).map((c) => c.close('test over')));
      await proxy.close();
    }
  });
});
