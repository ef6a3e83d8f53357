import { afterEach, describe, expect, it } from 'vitest';
import type { LinkStateName } from '../../shared/domain';
import { StaleWriteError } from '../../shared/ports';
import { waitFor, World } from './harness/world';

/**
 * A runner's write that landed although its answer never came: the store call timed out in a
 * storm, and the conditional retry found the link already moved, so the event stepped to nothing
 * and the effects the landed write asked for were never performed. The runner must perform what
 * the record still asks of it (the retry a DROPPED planned, the connect a RETRY asked for).
 * Reconcile runs every 10 minutes here, so only the runner can bring the link back.
 */
describe('worker, a write of the runner that landed unanswered', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  const cases: Array<{ event: string; lands: LinkStateName }> = [
    { event: 'DROPPED', lands: 'backoff' },
    { event: 'RETRY', lands: 'connecting' },
  ];
  for (const { event, lands } of cases) {
    it(`reconnects the link when its ${event} landed and the retry of the write found it done`, async () => {
      world = await World.start({ worker: { policy: { stableOpenMs: 0 }, reconcileMs: 600_000 } });
      const w = world;
      await w.startWorker();
      const { linkId, teamId } = await w.addRtmLink();
      const opened = await w.waitForState(linkId, 'open');
      await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);

      // The write that moves the link to `lands` lands, and its caller hears a version conflict,
      // as a timed-out conditional write retried after landing does.
      const store = w.links;
      const save = store.save.bind(store);
      let landed = false;
      store.save = async (update) => {
        const written = await save(update);
        if (update.id !== linkId || landed || update.snapshot.value !== lands) return written;
        landed = true;
        store.save = save;
        throw new StaleWriteError(linkId, update.expectedVersion, written.version);
      };
      expect(w.sim.faults.kill({ teamId })).toBe(1);

      let last = opened;
      await waitFor(async () => {
        last = await w.link(linkId);
        return last.state === 'open' && last.version > opened.version + 1 && w.sim.truth.openNow(teamId) === 1;
      }, 15_000, () => `link never reopened: ${last.state} attempt ${last.attempt}`);
      expect(landed).toBe(true);
    });
  }
});
