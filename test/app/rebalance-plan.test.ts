import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fairShares, planDrain, planMoves, routeHandoff, type FleetMember } from '../../shared/app';
import type { ConnectCommand } from '../../shared/ports';

const worker = (workerId: string, linkCount: number, extra: Partial<FleetMember> = {}): FleetMember => ({ workerId, capacity: 5_000, linkCount, draining: false, ...extra });
const ids = (n: number, prefix = 'L') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const settings = { tolerance: 0.05 };
const plan = (self: string, fleet: FleetMember[], overrides: Partial<Parameters<typeof planMoves>[0]> = {}) =>
  planMoves({ self, fleet, candidates: ids(fleet.find((w) => w.workerId === self)?.linkCount ?? 0), budget: 10_000, settings, storeDegraded: false, ...overrides });
const countTo = (moves: { to?: string }[]) => moves.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m.to ?? '-']: (acc[m.to ?? '-'] ?? 0) + 1 }), {});

describe('fair shares', () => {
  it('spreads every link over the workers not draining, in whole links, summing to the total', () => {
    const shares = fairShares([worker('a', 1_000), worker('b', 1_000), worker('c', 0)]);
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(2_000);
    expect([...shares.values()].sort()).toEqual([666, 667, 667]);
  });

  it("counts a draining worker's links and gives it a share of none", () => {
    const shares = fairShares([worker('a', 900, { draining: true }), worker('b', 300), worker('c', 300)]);
    expect(Object.fromEntries(shares)).toEqual({ a: 0, b: 750, c: 750 });
  });

  it('never gives a worker more than its capacity: what it cannot hold goes to the others', () => {
    const shares = fairShares([worker('small', 0, { capacity: 100 }), worker('b', 1_000), worker('c', 500)]);
    expect(Object.fromEntries(shares)).toEqual({ small: 100, b: 700, c: 700 });
  });

  it('is the same whoever computes it (order of the list does not matter)', () => {
    const fleet = [worker('x', 7), worker('a', 3), worker('m', 1)];
    expect(Object.fromEntries(fairShares(fleet))).toEqual(Object.fromEntries(fairShares([...fleet].reverse())));
  });
});

describe('planning moves', () => {
  it('leaves out a peer still settling (registered, never renewed): its 0 predates its intake', () => {
    // npm start: 5 new links, this worker took 4 in the first second; the peer's record says 0.
    expect(plan('a', [worker('a', 4), worker('b', 0, { settling: true })])).toEqual([]);
    // Its first renewal says what it took: 4 and 1 are within a share of 3 plus one.
    expect(plan('a', [worker('a', 4), worker('b', 1)])).toEqual([]);
    // The same peer renewed and empty is fed as any newcomer is.
    expect(countTo(plan('a', [worker('a', 4), worker('b', 0)]))).toEqual({ b: 2 });
    // A settling worker planning for itself still sees the others.
    expect(countTo(plan('b', [worker('a', 0), worker('b', 4, { settling: true })]))).toEqual({ a: 2 });
  });

  it('a worker above its share plus tolerance gives down to its share, to the under-loaded worker only', () => {
    const fleet = [worker('a', 1_000), worker('b', 1_000), worker('c', 0)];
    const fromA = plan('a', fleet);
    const fromB = plan('b', fleet);
    expect(countTo(fromA)).toEqual({ c: 333 });
    expect(countTo(fromB)).toEqual({ c: 333 });
    // Planned on the same heartbeats, the two givers fill c exactly to its share (666), not twice over.
    expect(fromA.length + fromB.length).toBe(fairShares(fleet).get('c'));
    expect(new Set(fromA.map((m) => m.linkId)).size).toBe(fromA.length);
  });

  it('within the tolerance nothing moves (no churn for a link or two)', () => {
    expect(plan('a', [worker('a', 1_040), worker('b', 1_000), worker('c', 960)])).toEqual([]);
    expect(plan('a', [worker('a', 2), worker('b', 1)])).toEqual([]);
  });

  it('a worker below its share less the tolerance is fed by every worker above its share, even within theirs', () => {
    const fleet = [worker('a', 11), worker('b', 11), worker('c', 8)];
    expect(countTo([...plan('a', fleet), ...plan('b', fleet)])).toEqual({ c: 2 });
  });

  it('above the tolerance, it moves', () => {
    expect(plan('a', [worker('a', 1_100), worker('b', 1_000), worker('c', 900)]).length).toBe(100);
  });

  it('moves at most the budget (the per-minute bound) and only candidates (open sockets, not recently moved)', () => {
    const fleet = [worker('a', 1_000), worker('b', 0)];
    expect(plan('a', fleet, { budget: 25 })).toHaveLength(25);
    const candidates = ['only-1', 'only-2'];
    const moves = plan('a', fleet, { candidates });
    expect(moves.map((m) => m.linkId)).toEqual(candidates);
    expect(plan('a', fleet, { budget: 0 })).toEqual([]);
  });

  it('nothing moves while the store is degraded', () => {
    expect(plan('a', [worker('a', 1_000), worker('b', 0)], { storeDegraded: true })).toEqual([]);
  });

  it('never plans a receiver past its capacity', () => {
    const moves = plan('a', [worker('a', 1_000), worker('small', 0, { capacity: 100 }), worker('c', 0)]);
    expect(countTo(moves)).toEqual({ small: 100, c: 450 });
  });

  it('never sends to a draining worker, and spreads over several receivers evenly', () => {
    const moves = plan('a', [worker('a', 900), worker('d', 0, { draining: true }), worker('b', 0), worker('c', 0)]);
    expect(countTo(moves)).toEqual({ b: 300, c: 300 });
  });

  it('a link that just moved is not a candidate, so it does not move twice in a row', () => {
    // What the worker passes: its open links minus those it took recently. Here all of them are recent.
    expect(plan('a', [worker('a', 1_000), worker('b', 0)], { candidates: [] })).toEqual([]);
  });

  it('property: after every giver applies its plan, every worker is within tolerance of its share and none above capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 2, maxLength: 6 }), (counts) => {
        const fleet = counts.map((n, i) => worker(`w${i}`, n, { capacity: 3_000 }));
        const after = new Map(fleet.map((w) => [w.workerId, w.linkCount]));
        for (const giver of fleet) {
          for (const move of plan(giver.workerId, fleet)) {
            after.set(giver.workerId, (after.get(giver.workerId) as number) - 1);
            after.set(move.to, (after.get(move.to) as number) + 1);
          }
        }
        const shares = fairShares(fleet);
        for (const [id, n] of after) {
          expect(n).toBeLessThanOrEqual(3_000);
          const share = shares.get(id) as number;
          expect(n).toBeLessThanOrEqual(share + Math.max(1, Math.floor(share * settings.tolerance)));
        }
      }),
    );
  });
});

describe('planning a drain', () => {
  it('spreads every link over the peers, up to their share first', () => {
    const drain = planDrain('a', [worker('a', 900), worker('b', 600), worker('c', 0)], ids(900));
    expect(countTo(drain)).toEqual({ b: 150, c: 750 });
  });

  it('past every share, up to capacity; what no one can hold goes untargeted', () => {
    const drain = planDrain('a', [worker('a', 10), worker('b', 95, { capacity: 100 }), worker('c', 96, { capacity: 100 })], ids(10));
    expect(countTo(drain)).toEqual({ b: 5, c: 4, '-': 1 });
  });
});

describe('routing a hand-off', () => {
  const fleet = [worker('a', 1_000), worker('b', 1_000), worker('c', 0)];
  const handoff = (extra: Partial<ConnectCommand> = {}): ConnectCommand => ({ linkId: 'L1', epoch: 3, handoffFrom: 'a', handoffTo: 'c', hops: 0, handoffKind: 'rebalance', ...extra });

  it('the named worker takes it', () => {
    expect(routeHandoff({ self: 'c', command: handoff(), held: 10, capacity: 5_000, fleet })).toEqual({ action: 'take' });
  });

  it('any other worker, the giver included, sends it on with one more hop', () => {
    expect(routeHandoff({ self: 'b', command: handoff(), held: 1_000, capacity: 5_000, fleet })).toEqual({ action: 'pass', command: handoff({ hops: 1 }) });
    expect(routeHandoff({ self: 'a', command: handoff({ hops: 2 }), held: 1_000, capacity: 5_000, fleet })).toEqual({ action: 'pass', command: handoff({ hops: 3 }) });
  });

  it('past the hop limit a rebalancing hand-off is dropped (the link stays), a drain goes to whoever has room', () => {
    expect(routeHandoff({ self: 'b', command: handoff({ hops: 24 }), held: 1_000, capacity: 5_000, fleet }).action).toBe('drop');
    expect(routeHandoff({ self: 'b', command: handoff({ hops: 24, handoffKind: 'drain' }), held: 1_000, capacity: 5_000, fleet })).toEqual({ action: 'take' });
    expect(routeHandoff({ self: 'b', command: handoff({ hops: 48, handoffKind: 'drain' }), held: 1_000, capacity: 5_000, fleet }).action).toBe('drop');
  });

  it('the target refuses a rebalancing hand-off that would put it above its share (stale heartbeats), or its capacity', () => {
    expect(routeHandoff({ self: 'c', command: handoff(), held: 667, capacity: 5_000, fleet: [worker('a', 667), worker('b', 666), worker('c', 0)] }).action).toBe('drop');
    expect(routeHandoff({ self: 'c', command: handoff(), held: 100, capacity: 100, fleet }).action).toBe('drop');
  });

  it('a drain hand-off at a full target is sent on rather than lost', () => {
    expect(routeHandoff({ self: 'c', command: handoff({ handoffKind: 'drain' }), held: 100, capacity: 100, fleet }).action).toBe('pass');
  });

  it("an untargeted drain hand-off (the old form) is taken by any peer, and left alone by its own giver", () => {
    const old: ConnectCommand = { linkId: 'L1', epoch: 3, handoffFrom: 'a' };
    expect(routeHandoff({ self: 'b', command: old, held: 10, capacity: 5_000, fleet }).action).toBe('take');
    expect(routeHandoff({ self: 'a', command: old, held: 10, capacity: 5_000, fleet }).action).toBe('leave');
  });
});
