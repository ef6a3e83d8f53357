import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { MemoryConnectQueue } from '../../shared/adapters/memory';
import type { WorkerRecord } from '../../shared/ports';
import { HeldLinks } from '../../functions/worker/held-links';
import type { LinkRunner } from '../../functions/worker/link-runner';
import { resolveWorkerOptions } from '../../functions/worker/options';
import { Rebalancer } from '../../functions/worker/rebalance';
import type { WorkerDeps } from '../../functions/worker/deps';

/**
 * A worker still taking links plans no moves: its own count is live while its peers' heartbeats
 * are up to one old, so in an even cold start (2,516 / 2,484 of 5,000) it saw a peer that had
 * long caught up as under its share and moved 32-100 links, a Tier 1 call and a write each.
 */
describe('rebalancing waits for the worker\'s own intake to be quiet', () => {
  const options = resolveWorkerOptions({ heartbeatMs: 5_000, leaseMs: 20_000 });
  const runner = (id: string): LinkRunner => ({ id, hasOpenSocket: true, isStopped: false, identity: { id, protocol: 'rtm', appId: 'A1', teamId: id }, lastConnectAt: undefined, fence: { owner: 'w-a', epoch: 1 } }) as unknown as LinkRunner;
  const peer = (workerId: string, linkCount: number): WorkerRecord => ({ workerId, counter: 3, leaseMs: 20_000, capacity: 5_000, linkCount, draining: false, startedAt: 0 });

  const setUp = () => {
    let now = 1_000_000;
    const held = new HeldLinks(() => now);
    const queue = new MemoryConnectQueue();
    const deps = { workerId: 'w-a', queue, clock: { now: () => now }, log: silentLogger } as unknown as WorkerDeps;
    const rebalancer = new Rebalancer({ deps, options, runners: held, canMove: () => true, storeAnswers: () => true, lastTakenAt: () => held.lastTakenAt });
    // This worker took 40 links; its peer's heartbeat, from before its own intake, says 0.
    for (let i = 0; i < 40; i++) held.set(`L${i}`, runner(`L${i}`));
    rebalancer.noteFleet([peer('w-a', 40), peer('w-b', 0)]);
    const handoffs = async () => (await queue.receive({ max: 10, waitMs: 0 })).length;
    return { rebalancer, handoffs, advance: (ms: number) => void (now += ms) };
  };

  it('plans nothing within two heartbeats of its last take, then moves toward an even share', async () => {
    const { rebalancer, handoffs, advance } = setUp();
    await rebalancer.tick();
    expect(await handoffs()).toBe(0);
    advance(2 * options.heartbeatMs - 1);
    await rebalancer.tick();
    expect(await handoffs()).toBe(0);
    // Quiet for two heartbeats, and the peer still says 0: now it is fed.
    advance(1);
    await rebalancer.tick();
    expect(await handoffs()).toBeGreaterThan(0);
  });
});
