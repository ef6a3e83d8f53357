import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';

const LEASE_MS = 3_000; // LIFELINE_LEASE_MS in harness/child-worker.ts

/** Ownership across real worker processes: SIGKILL failover and SIGTERM drain. */
describe('worker processes: failover and drain', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({ visibilityTimeoutMs: 2_000 });
  });
  afterAll(async () => world?.stop());

  const ownersOf = async (ids: string[]) => Promise.all(ids.map(async (id) => (await world.link(id)).owner));

  it('reopens a SIGKILLed worker\'s links on the survivor within lease + 5 s', async () => {
    const a = await world.forkWorker();
    const links = await Promise.all(Array.from({ length: 12 }, () => world.addRtmLink()));
    const ids = links.map((l) => l.linkId);
    await waitFor(async () => (await Promise.all(ids.map((id) => world.link(id)))).every((l) => l.state === 'open'), 15_000);
    expect(new Set(await ownersOf(ids))).toEqual(new Set([a.workerId]));
    const b = await world.forkWorker();

    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    await a.exited;
    await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => world.link(id)));
        return all.every((l) => l.state === 'open' && l.owner === b.workerId);
      },
      LEASE_MS + 5_000 + 2_000,
      () => `links did not all reopen on the survivor:\n${b.output.slice(-30).join('\n')}`,
    );
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThanOrEqual(LEASE_MS + 5_000);
    // Every workspace holds exactly one socket again.
    for (const { teamId } of links) expect(world.sim.truth.openNow(teamId)).toBe(1);
    expect(b.output.some((line) => line.includes('peer presumed dead'))).toBe(true);
    b.process.kill('SIGKILL');
    await b.exited;
  });

  it('drains on SIGTERM: links move to a peer make-before-break, then the worker exits 0', async () => {
    const a = await world.forkWorker();
    const links = await Promise.all(Array.from({ length: 10 }, () => world.addRtmLink()));
    const ids = links.map((l) => l.linkId);
    await waitFor(async () => (await ownersOf(ids)).every((o) => o === a.workerId), 15_000);
    await waitFor(async () => (await Promise.all(ids.map((id) => world.link(id)))).every((l) => l.state === 'open'), 15_000);
    const b = await world.forkWorker();
    const connectsBefore = new Map(links.map((l) => [l.teamId, world.sim.truth.connects(l.teamId).length]));

    a.process.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const all = await Promise.all(ids.map((id) => world.link(id)));
    expect(all.every((l) => l.state === 'open' && l.owner === b.workerId)).toBe(true);
    for (const { teamId } of links) {
      // One new socket each, opened before the old one closed: never zero open.
      expect(world.sim.truth.connects(teamId).length).toBe(connectsBefore.get(teamId)! + 1);
      expect(world.sim.truth.maxOpen(teamId)).toBe(2);
      expect(world.sim.truth.openNow(teamId)).toBe(1);
    }
    b.process.kill('SIGKILL');
    await b.exited;
  });
});
