import { afterEach, describe, expect, it } from 'vitest';
import { applyOwnerLost } from '../../shared/app';
import { waitFor, World } from './harness/world';

/**
 * A link's restart executions were named by link, epoch and attempt only. A stable link's retry
 * is always attempt 0, and the epoch moves only when a worker claims the link, so a second retry
 * planned before that claim got the first one's name: Step Functions refuses it (the embedded
 * workflow too), and the link sat in backoff with nothing coming until the sweeper.
 */
describe('worker, a second retry of a link planned in the same epoch', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('reconnects the link when its owner is handed over again while the first restart waits on its connect', async () => {
    world = await World.start({ worker: { policy: { stableOpenMs: 0 } } });
    const w = world;
    const first = await w.startWorker();
    const { linkId, teamId } = await w.addRtmLink();
    const opened = await w.waitForState(linkId, 'open');
    await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);

    // The owner dies (no worker left to take connect commands): a peer hands its link over, and
    // the restart execution moves it to connecting and queues its connect.
    await first.stop();
    await applyOwnerLost(w.appDeps(), [await w.link(linkId)], opened.owner);
    await waitFor(async () => (await w.link(linkId)).state === 'connecting' && w.queue.stats().visible === 1, 10_000, 'the first restart never queued its connect');

    // A second hand-over pass finds the link still owned by the dead worker (a connect does not
    // move the owner): OWNER_LOST again, a second retry at the same epoch and attempt.
    const again = await w.link(linkId);
    expect(again.epoch).toBe(opened.epoch);
    await applyOwnerLost(w.appDeps(), [again], opened.owner);
    const second = await w.link(linkId);
    expect([second.state, second.epoch, second.attempt]).toEqual(['backoff', opened.epoch, 0]);

    // A live worker now takes the first connect, finds the link in backoff (stale), and that
    // execution ends: only the second retry's execution can bring the link back.
    await w.startWorker();
    let last = second;
    await waitFor(async () => {
      last = await w.link(linkId);
      return last.state === 'open' && w.sim.truth.openNow(teamId) === 1;
    }, 15_000, () => `link never reopened: ${last.state} attempt ${last.attempt} epoch ${last.epoch}`);
    const runs = w.workflow.executions().filter((e) => e.workflow === 'restart' && (e.input as { linkId: string }).linkId === linkId);
    expect(runs).toHaveLength(2);
  });
});
