import { afterEach, describe, expect, it } from 'vitest';
import type { LinkRecord, SlackApi } from '../../shared/ports';
import { waitFor, World } from './harness/world';
import { holdNextSave } from './support/hold-save';

/**
 * A stable link that drops is retried at once, in place, by the worker holding it: one
 * `rtm.connect`, no workflow, no orphan repair, even when Slack restarts (the bench's storm) and
 * refuses the connect the worker started at the drop. `stableOpenMs: 0` makes every open link
 * stable, so no test waits for it.
 */
describe('worker, stable links dropped by a simulator restart', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  const rtmConnects = (w: World, teamId: string) => w.sim.truth.calls('rtm.connect', teamId);
  /**
   * Nothing but the runner holding the socket can still connect the link: no workflow execution
   * runs for it and no connect command is queued or being claimed. A retry a broken worker still
   * had coming holds this wait until it has happened, so the counts read after it are final.
   */
  const settled = (w: World, linkIds: string[]) => {
    const ids = new Set(linkIds);
    const busy = () => {
      const running = w.workflow.executions().filter((e) => e.status === 'RUNNING' && ids.has((e.input as { linkId?: string }).linkId ?? ''));
      const { visible, inFlight } = w.queue.stats();
      return running.length + visible + inFlight;
    };
    return waitFor(() => busy() === 0, 30_000, () => `still ${busy()} execution(s) or connect command(s) in flight`);
  };

  /** A worker holding one RTM link, open in the store and at Slack. */
  const oneOpenLink = async (w: World) => {
    await w.startWorker();
    const { linkId, teamId } = await w.addRtmLink();
    const opened = await w.waitForState(linkId, 'open');
    await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);
    return { linkId, teamId, opened };
  };

  /** The link open again, on a newer record than `opened`, with one socket at Slack. */
  const reopened = async (w: World, opened: LinkRecord, teamId: string) => {
    let last = opened;
    await waitFor(async () => {
      last = await w.link(opened.id);
      return last.state === 'open' && last.version > opened.version && w.sim.truth.openNow(teamId) === 1;
    }, 10_000, () => `link never reopened: ${last.state} ${last.lastError ?? ''}`);
  };

  it('reconnects one stable link after a restart with exactly one rtm.connect, in place', async () => {
    // Slack's rate limits on: a second connect would show up as a call, a storm of them as 429s.
    world = await World.start({ simulator: { rateLimits: {} }, worker: { policy: { stableOpenMs: 0 }, reconcileMs: 100 }, captureLogs: true });
    const w = world;
    const { linkId, teamId, opened } = await oneOpenLink(w);
    expect(rtmConnects(w, teamId)).toHaveLength(1);

    await w.sim.faults.restart(0);
    await reopened(w, opened, teamId);
    await settled(w, [linkId]);

    expect(rtmConnects(w, teamId).map((c) => c.outcome)).toEqual(['ok', 'ok']);
    expect(w.workflow.executions().filter((e) => (e.input as { linkId?: string }).linkId === linkId)).toEqual([]);
    expect(w.logs.filter((line) => line.includes('orphaned link'))).toEqual([]);
  });

  it('retries in place with a fresh connect when the one started at the drop was refused by a Slack still restarting', async () => {
    const refused: string[] = [];
    // Sees the workers' rtm.connect calls that never reached Slack (the simulator counts only those that did).
    const observe = (api: SlackApi): SlackApi =>
      Object.assign(Object.create(api) as SlackApi, {
        rtmConnect: (token: string) =>
          api.rtmConnect(token).catch((error: unknown) => {
            refused.push((error as { error?: string }).error ?? String(error));
            throw error;
          }),
      });
    world = await World.start({ simulator: { rateLimits: {} }, worker: { policy: { stableOpenMs: 0 } }, wrapSlack: observe });
    const w = world;
    const { linkId, teamId, opened } = await oneOpenLink(w);

    // DROPPED is held while Slack is down: the connect started at the drop is refused meanwhile.
    const dropWrite = holdNextSave(w, linkId);
    const restarted = w.sim.faults.restart(200);
    await dropWrite.holding;
    await waitFor(() => refused.length === 1, 5_000, 'the connect started at the drop was never refused');
    await restarted;
    dropWrite.release();

    await reopened(w, opened, teamId);
    await settled(w, [linkId]);
    expect(refused).toHaveLength(1);
    expect(rtmConnects(w, teamId).map((c) => c.outcome)).toEqual(['ok', 'ok']);
    // Reconnected by the runner holding it: the restart workflow never ran for it.
    expect(w.workflow.executions().filter((e) => (e.input as { linkId?: string }).linkId === linkId)).toEqual([]);
  });
  it('takes the socket started at the drop even when the store writes DROPPED slower than the prepared socket lives', async () => {
    // The storm on a loaded machine: DROPPED took longer than the prepared socket's TTL to write,
    // the socket was closed unused, and the in-place retry called rtm.connect again.
    const preparedTtlMs = 50;
    world = await World.start({ simulator: { rateLimits: {} }, worker: { policy: { stableOpenMs: 0 }, preparedTtlMs } });
    const w = world;
    const { linkId, teamId, opened } = await oneOpenLink(w);

    const dropWrite = holdNextSave(w, linkId);
    expect(w.sim.faults.kill({ teamId })).toBe(1);
    await dropWrite.holding;
    await waitFor(() => rtmConnects(w, teamId).length === 2, 5_000, 'no connect was started at the drop');
    // The store is slow: DROPPED lands after the prepared socket's TTL has run out (the TTL's
    // timer was set at the drop, before this one, with a shorter delay, so it fires first).
    await new Promise((resolve) => setTimeout(resolve, preparedTtlMs * 4));
    dropWrite.release();

    await reopened(w, opened, teamId);
    await settled(w, [linkId]);
    expect(rtmConnects(w, teamId).map((c) => c.outcome)).toEqual(['ok', 'ok']);
  });
});
