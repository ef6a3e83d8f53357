import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/wait-for';
import { waitFor, World } from './harness/world';
import type { Worker } from '../../functions/worker/worker';

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

/**
 * The orphan repair: a link we own, held (`connecting`/`open`), that no runner of ours holds. It is
 * judged on the record, not its state: the restart workflow legitimately leaves such a link
 * `connecting` while its connect command waits in the queue, and only a record nobody has written
 * for a lease is an orphan.
 */
describe('worker reconcile loop, links without a runner', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  /** Holds the connect commands sent for `linkId` until released (a queue backlog). */
  const holdConnects = (w: World, linkId: string) => {
    const queue = w.queue;
    const send = queue.send.bind(queue);
    const held: Parameters<typeof send>[0][] = [];
    queue.send = async (command) => {
      if (command.linkId === linkId) held.push(command);
      else await send(command);
    };
    return {
      held,
      release: async () => {
        queue.send = send;
        for (const command of held.splice(0)) await send(command);
      },
    };
  };
  /** Counts the reconcile passes that started (each lists the links the worker owns). */
  const countPasses = (w: World) => {
    const store = w.links;
    const list = store.listByOwner.bind(store);
    let passes = 0;
    store.listByOwner = (owner, query) => {
      if (!query?.cursor) passes += 1;
      return list(owner, query);
    };
    return () => passes;
  };
  const repairs = (w: World) => w.logs.filter((line) => line.includes('repaired an orphaned link'));
  /**
   * An open link flaps (open for less than stableOpenMs): the workflow retries it, the runner lets
   * go, and the workflow's connect command waits in the held queue. Returns the waiting record.
   */
  const flapIntoHeldQueue = async (w: World, worker: Worker) => {
    const { linkId, teamId } = await w.addRtmLink();
    const opened = await w.waitForState(linkId, 'open');
    const queue = holdConnects(w, linkId);
    expect(w.sim.faults.kill({ teamId })).toBe(1);
    const waiting = await eventually(async () => {
      const link = await w.link(linkId);
      return link.state === 'connecting' && link.version > opened.version && queue.held.length === 1 ? link : undefined;
    }, 10_000, 'the workflow never asked for a connect');
    expect(waiting.owner).toBe(worker.deps.workerId);
    expect(worker.runners.has(linkId)).toBe(false);
    return { linkId, teamId, queue, waiting };
  };

  it('leaves alone a link the restart workflow moved to connecting while its connect command waits in the queue', async () => {
    // A fixed jitter: the flap's retry waits 500 ms, so it goes through the workflow.
    world = await World.start({ worker: { reconcileMs: 50 }, random: () => 0.5, captureLogs: true });
    const w = world;
    const { linkId, queue, waiting } = await flapIntoHeldQueue(w, await w.startWorker());

    const passes = countPasses(w);
    await waitFor(() => passes() >= 3, 5_000, 'three reconcile passes');
    expect((await w.link(linkId)).version).toBe(waiting.version);
    expect(repairs(w)).toEqual([]);

    await queue.release();
    await w.waitForState(linkId, 'open');
    expect(repairs(w)).toEqual([]);
  });

  it('gives up a held link no runner holds once nobody has written it for a lease, and the workflow reconnects it', async () => {
    // Long enough that a loaded machine does not fence the worker itself (it fences at lease − 2 × heartbeat).
    const leaseMs = 4_000;
    world = await World.start({ worker: { reconcileMs: 50, leaseMs }, captureLogs: true });
    const w = world;
    const worker = await w.startWorker();
    const { linkId, teamId } = await w.addRtmLink();
    const opened = await w.waitForState(linkId, 'open');
    await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);
    // The runner lets go without a write, as after a store error: the store still says open, ours.
    await worker.runners.get(linkId)!.stop('test: the runner lost its link');
    await waitFor(() => w.sim.truth.openNow(teamId) === 0, 5_000);

    await waitFor(() => repairs(w).length === 1, 20_000, 'the orphan was never repaired');
    const repaired = JSON.parse(repairs(w)[0]!) as { time: string; state: string; stillSinceMs: number };
    expect(repaired.state).toBe('open');
    expect(Date.parse(repaired.time) - opened.updatedAt).toBeGreaterThanOrEqual(leaseMs);
    const link = await w.waitForState(linkId, 'open');
    expect(link.lastError).toBe(opened.lastError);
    expect(link.version).toBeGreaterThan(opened.version);
    await waitFor(() => w.sim.truth.openNow(teamId) === 1, 5_000);
    expect(repairs(w)).toHaveLength(1);
  });
  it('leaves a connecting link to its workflow past a lease, until the connect timeout: a backed-up queue is not an orphan', async () => {
    // A lease far shorter than the connect command's wait: on the old rule (quiet for a lease) the
    // link was repaired, a second restart queued a second command, and in a storm the queue grew.
    const leaseMs = 1_500;
    world = await World.start({ worker: { reconcileMs: 50, leaseMs, heartbeatMs: 200 }, random: () => 0.5, captureLogs: true });
    const w = world;
    const { linkId, teamId, queue, waiting } = await flapIntoHeldQueue(w, await w.startWorker());

    // Stood still for two leases, judged by many passes after that.
    await waitFor(async () => Date.now() - (await w.link(linkId)).updatedAt >= 2 * leaseMs, 10_000);
    const passes = countPasses(w);
    await waitFor(() => passes() >= 5, 5_000, 'five reconcile passes');
    expect((await w.link(linkId)).version).toBe(waiting.version);
    expect(repairs(w)).toEqual([]);
    expect(queue.held).toHaveLength(1);

    await queue.release();
    await w.waitForState(linkId, 'open');
    expect(repairs(w)).toEqual([]);
    expect(w.sim.truth.connects(teamId).length).toBe(2);
  });
});
