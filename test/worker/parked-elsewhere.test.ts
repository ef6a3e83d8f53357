import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '../../functions/worker/worker';
import { waitFor, World } from './harness/world';

// The worker's half of "a revoked link's socket closes at once": told that a link it holds was
// parked by another process (embedded: the parent's write tap, over IPC), it re-reads the link
// and lets go now, not at its next reconcile (60 s here). A notice about a live link is ignored.

describe('a worker told of a park written elsewhere', () => {
  let world: World;
  let worker: Worker;

  beforeAll(async () => {
    world = await World.start();
    worker = await world.startWorker({ reconcileMs: 600_000 });
  });
  afterAll(async () => world?.stop());

  it('closes the socket of a link revoked by another process, and an event sent after it never reaches the bot', async () => {
    const { linkId, teamId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(teamId) === 1, 5_000);

    // What the HTTP route's park does to the link: REVOKED, applied by a caller holding no socket.
    await world.send(linkId, { type: 'REVOKED', reason: 'app_uninstalled' });
    // The simulator knows nothing of it: without a word to the owner the socket would stay open.
    expect(world.sim.truth.openNow(teamId)).toBe(1);

    await worker.recheckLink(linkId);

    expect(worker.runners.has(linkId)).toBe(false);
    await waitFor(() => world.sim.truth.openNow(teamId) === 0, 2_000, () => 'socket closed (simulator truth)');
    const control = await world.addRtmLink();
    await world.waitForState(control.linkId, 'open');
    world.sim.emitEvent(teamId, { type: 'message', text: 'after the park', channel: 'C1' });
    world.sim.emitEvent(control.teamId, { type: 'message', text: 'control', channel: 'C1' });
    await waitFor(() => world.sinkEvents.some((e) => e.teamId === control.teamId && (e.payload as { text?: string }).text === 'control'), 5_000, () => 'control delivered');
    expect(world.sinkEvents.filter((e) => e.teamId === teamId && (e.payload as { text?: string }).text === 'after the park')).toEqual([]);
  });

  it('a notice about a link that is still live and ours changes nothing', async () => {
    const { linkId, teamId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');

    await worker.recheckLink(linkId);

    expect(worker.runners.get(linkId)?.hasOpenSocket).toBe(true);
    expect(world.sim.truth.openNow(teamId)).toBe(1);
  });
});
