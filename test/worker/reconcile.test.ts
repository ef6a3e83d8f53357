import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';

/** The reconcile loop: what the store says about a held link wins over the worker's memory. */
describe('worker reconcile loop', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({ worker: { reconcileMs: 300 } });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  it('moves an open link to a rotated token, make-before-break', async () => {
    const { linkId, teamId, appId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');
    const connects = world.sim.truth.connects(teamId).length;
    // A reinstall elsewhere (the OAuth handler) stored token version 2 and applied REGISTERED.
    const reinstalled = world.sim.addWorkspace({ teamId, appId });
    world.credentials.set({ protocol: 'rtm', appId, teamId }, { token: reinstalled.botToken, tokenVersion: 2 });
    await world.send(linkId, { type: 'REGISTERED', tokenVersion: 2 });
    await waitFor(() => world.sim.truth.connects(teamId).length === connects + 1 && world.sim.truth.openNow(teamId) === 1, 5_000);
    expect(world.sim.truth.maxOpen(teamId)).toBe(2);
    expect((await world.link(linkId)).state).toBe('open');
  });

  it('lets go of a link an operator disabled, closing its socket', async () => {
    const { linkId, teamId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');
    await world.send(linkId, { type: 'DISABLED', reason: 'operator' });
    await waitFor(() => world.sim.truth.openNow(teamId) === 0, 5_000);
    expect((await world.link(linkId)).state).toBe('inactive');
    expect(world.workers[0]!.runners.has(linkId)).toBe(false);
  });
});
