import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LIVENESS, waitFor, World } from './harness/world';
import { linkAtRest } from './support/at-rest';

/**
 * One RTM fault per test, against the simulator: the resulting state, the simulator's ground
 * truth (connect calls, sockets open) and bounds in the worker's own configured windows.
 */
describe('worker, RTM links under faults', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  const openLink = async () => {
    const link = await world.addRtmLink();
    await world.waitForState(link.linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(link.teamId) === 1, 5_000);
    return link;
  };
  const rtmConnects = (teamId: string) => world.sim.truth.calls('rtm.connect', teamId);

  it('connects with a fresh URL and is open only after hello', async () => {
    const { linkId, teamId } = await openLink();
    const link = await world.link(linkId);
    expect(link.owner).toBe(world.workers[0]!.deps.workerId);
    expect(rtmConnects(teamId).map((c) => c.outcome)).toEqual(['ok']);
    expect(world.sim.truth.connects(teamId).map((c) => c.outcome)).toEqual(['hello']);
    expect(world.workers[0]!.reportLinks().open).toBeGreaterThanOrEqual(1);
    expect(world.metrics.points.some((p) => p.name === 'LinksByState' && p.dimensions.State === 'open' && p.value >= 1)).toBe(true);
  });

  it('reconnects at once, in place, after a kill without a close frame (1006)', async () => {
    const { linkId, teamId } = await openLink();
    const before = (await world.link(linkId)).version;
    expect(world.sim.faults.kill({ teamId })).toBe(1);
    await waitFor(async () => (await world.link(linkId)).version >= before + 3 && (await world.link(linkId)).state === 'open', 5_000);
    const link = await world.link(linkId);
    expect(link.lastError).toBe('close_1006');
    expect(rtmConnects(teamId)).toHaveLength(2);
    expect(world.sim.truth.maxOpen(teamId)).toBe(1);
    // The in-place retry needed no workflow.
    expect(world.workflow.pendingRetries().filter((r) => r.linkId === linkId)).toEqual([]);
  });

  it.each([1000, 1001, 1011, 4000])('reconnects after a server close with code %i', async (code) => {
    const { linkId, teamId } = await openLink();
    expect(world.sim.faults.close({ teamId }, code)).toBe(1);
    await waitFor(() => rtmConnects(teamId).length === 2 && world.sim.truth.openNow(teamId) === 1, 5_000);
    const link = await world.waitForState(linkId, 'open');
    expect(link.lastError).toBe(`close_${code}`);
  });

  it('declares a black-holed socket dead within the liveness window and reconnects', async () => {
    const { linkId, teamId } = await openLink();
    const startedAt = Date.now();
    world.sim.faults.blackHole({ teamId });
    await waitFor(() => rtmConnects(teamId).length === 2 && world.sim.truth.connects(teamId).at(-1)?.outcome === 'hello', 8_000);
    const link = await world.waitForState(linkId, 'open');
    expect(link.lastError).toBe('dead_socket');
    const detected = world.metrics.points.filter((p) => p.name === 'TimeToDetectMs').map((p) => p.value);
    expect(detected.length).toBeGreaterThan(0);
    // Declared dead no sooner than the window and not long after it (one ticker period of slack).
    expect(Math.max(...detected)).toBeGreaterThanOrEqual(TEST_LIVENESS.deadAfterMs!);
    expect(Math.min(...detected)).toBeLessThanOrEqual(TEST_LIVENESS.deadAfterMs! + 500);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TEST_LIVENESS.deadAfterMs!);
  });

  it('backs off through the workflow when the upgrade is refused with 408, then opens', async () => {
    const ws = world.sim.addWorkspace();
    world.sim.faults.refuseUpgrades({ key: ws.teamId, count: 2 }, 408);
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    const linkId = `rtm:${ws.appId}:${ws.teamId}`;
    await world.send(linkId, { type: 'CONNECT' });
    const link = await world.waitForState(linkId, 'open', 15_000);
    expect(world.sim.truth.connects(ws.teamId).map((c) => c.outcome)).toEqual(['refused', 'refused', 'hello']);
    expect(link.lastError).toBe('http_408');
    expect(link.attempt).toBe(0);
  });

  it('times out a withheld hello and tries again', async () => {
    const ws = world.sim.addWorkspace();
    world.sim.faults.withholdHello({ key: ws.teamId, count: 1 });
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    const linkId = `rtm:${ws.appId}:${ws.teamId}`;
    await world.send(linkId, { type: 'CONNECT' });
    const link = await world.waitForState(linkId, 'open', 15_000);
    expect(link.lastError).toBe('hello_timeout');
    expect(world.sim.truth.calls('rtm.connect', ws.teamId)).toHaveLength(2);
    expect(world.sim.truth.openNow(ws.teamId)).toBe(1);
  });

  it('waits out a 429 for at least its Retry-After', async () => {
    const ws = world.sim.addWorkspace();
    world.sim.faults.rateLimit({ method: 'rtm.connect', key: ws.teamId, count: 1, retryAfterSeconds: 2 });
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    const linkId = `rtm:${ws.appId}:${ws.teamId}`;
    await world.send(linkId, { type: 'CONNECT' });
    await world.waitForState(linkId, 'open', 15_000);
    const calls = world.sim.truth.calls('rtm.connect', ws.teamId);
    expect(calls.map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(2_000);
    expect((await world.link(linkId)).lastError).toBe('ratelimited');
  });

  it('parks on account_inactive and makes no further connect calls', async () => {
    const { linkId, teamId, botToken } = await openLink();
    world.sim.setTokenStatus(botToken, 'inactive');
    const link = await world.waitForState(linkId, 'inactive', 10_000);
    expect(link.snapshot.context.parkedReason).toBe('account_inactive');
    await linkAtRest(world, linkId);
    // The drop's one in-place attempt was refused; nothing tried again.
    expect(rtmConnects(teamId).map((c) => c.outcome)).toEqual(['ok', 'account_inactive']);
    expect(world.sim.truth.openNow(teamId)).toBe(0);
  });

  it('parks as revoked on invalid_auth and makes no further connect calls', async () => {
    const { linkId, teamId, botToken } = await openLink();
    world.sim.setTokenStatus(botToken, 'unknown');
    const link = await world.waitForState(linkId, 'revoked', 10_000);
    expect(link.snapshot.context.parkedReason).toBe('invalid_auth');
    await linkAtRest(world, linkId);
    expect(rtmConnects(teamId).map((c) => c.outcome)).toEqual(['ok', 'invalid_auth']);
  });

  it('replaces the socket make-before-break on goodbye, and every event sent meanwhile reaches the sink once', async () => {
    const { linkId, teamId } = await openLink();
    const before = world.sim.truth.connects(teamId).length;
    // Messages every 10 ms from before the goodbye until the swap is over, each with its own ts.
    const texts: string[] = [];
    let seq = 0;
    const emit = () => {
      const text = `swap-${teamId}-${seq++}`;
      texts.push(text);
      world.sim.emitEvent(teamId, { type: 'message', channel: 'CSWAP', text, ts: `1700000000.${String(seq).padStart(6, '0')}` });
    };
    const received = () => world.sinkEvents
      .filter((e) => e.linkId === linkId && e.kind === 'message')
      .map((e) => (e.payload as { text?: string }).text);
    // Emitting until the sink has seen `count` events sent from `from` on: before the goodbye,
    // then after the swap, so the overlap is covered on both sides.
    const sinkSaw = (from: number, count: number) => waitFor(() => received().filter((t) => Number(t?.split('-').at(-1)) >= from).length >= count, 5_000);
    const emitter = setInterval(emit, 10);
    try {
      await sinkSaw(0, 5);
      expect(world.sim.faults.goodbye({ teamId })).toBe(1);
      await waitFor(() => world.sim.truth.connects(teamId).length === before + 1 && world.sim.truth.openNow(teamId) === 1, 5_000);
      await sinkSaw(seq, 5);
    } finally {
      clearInterval(emitter);
    }
    // Two sockets at once during the swap, never zero: the link stayed open throughout.
    expect(world.sim.truth.maxOpen(teamId)).toBe(2);
    const link = await world.link(linkId);
    expect(link.state).toBe('open');
    expect(link.snapshot.context.lastRefreshAt).toBeTypeOf('number');
    await waitFor(() => received().length >= texts.length, 2_000).catch(() => undefined);
    expect(texts.length).toBeGreaterThan(10);
    // Both sockets carry the events sent during the overlap; the forwarder's ts dedupe keeps one.
    expect(received().sort()).toEqual([...texts].sort());
  });
});
