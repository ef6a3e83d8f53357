import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';

/**
 * A drop whose write the store does not answer (it timed out: the store is away, not saying no)
 * leaves the socket gone and the link's effects unperformed. The worker must not leave the link
 * to reconcile's quiet lease (a storm's 60-80 s tail): it repairs it as soon as the store answers.
 * Reconcile runs every 10 minutes here, so only that repair can bring the link back.
 */
describe('worker, a DROPPED write the store does not answer', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  const timedOut = () => Object.assign(new Error('a request has exceeded the configured requestTimeout'), { name: 'TimeoutError' });

  for (const landed of [false, true]) {
    it(`reconnects the link once the store answers (the write ${landed ? 'landed' : 'never landed'})`, async () => {
      world = await World.start({ worker: { policy: { stableOpenMs: 0 }, reconcileMs: 600_000 }, captureLogs: true });
      const w = world;
      await w.startWorker();
      const { linkId, teamId } = await w.addRtmLink();
      const opened = await w.waitForState(linkId, 'open');
      await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);

      // The next write of this link times out, after landing or not.
      const store = w.links;
      const save = store.save.bind(store);
      store.save = async (update) => {
        if (update.id !== linkId) return save(update);
        store.save = save;
        if (landed) await save(update);
        throw timedOut();
      };
      expect(w.sim.faults.kill({ teamId })).toBe(1);

      let last = opened;
      await waitFor(async () => {
        last = await w.link(linkId);
        return last.state === 'open' && last.version > opened.version + 1 && w.sim.truth.openNow(teamId) === 1;
      }, 15_000, () => `link never reopened: ${last.state} ${last.lastError ?? ''}`);
      expect(w.logs.some((line) => line.includes('store unavailable: link let go'))).toBe(true);
    });
  }
});
