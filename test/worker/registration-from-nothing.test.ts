import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { createConnecting, queueNewLinks, registerNewLinks, rtmLinkId, socketModeLinkId } from '../../shared/app';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { localClient } from '../support/link-tables';
import { Worker } from '../../functions/worker/worker';
import { waitFor, World } from './harness/world';
import { linkAtRest } from './support/at-rest';

/**
 * Issue 16's cold start from nothing: a registration is a connect command marked `register`; the
 * worker that takes it opens the socket first, then creates the link already open and ours (one
 * conditional write per link). Behaviour only; the time is the bench's (`coldStartFromNothing5000Ms`).
 */
describe('worker: registration from nothing', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
    await world.startWorker();
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  /** Workspaces and Socket Mode apps on the simulator, their tokens seeded; nothing in the store. */
  const newTargets = (count: number): { linkIds: string[]; keys: string[] } => {
    const linkIds: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i % 2 === 0) {
        const ws = world.sim.addWorkspace();
        world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
        linkIds.push(rtmLinkId(ws.appId, ws.teamId));
        keys.push(ws.teamId);
      } else {
        const app = world.sim.addApp({ socketMode: true });
        world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
        linkIds.push(socketModeLinkId(app.appId, 0));
        keys.push(app.appId);
      }
    }
    return { linkIds, keys };
  };

  it('opens every link, each created already open and claimed, in one write, by the worker holding its one socket', async () => {
    const { linkIds, keys } = newTargets(40);
    for (const linkId of linkIds) expect(await world.links.get(linkId)).toBeUndefined();

    await queueNewLinks(world.appDeps(), linkIds);

    await waitFor(() => keys.every((key) => world.sim.truth.openNow(key) === 1), 30_000, () => `open: ${keys.filter((k) => world.sim.truth.openNow(k) === 1).length}/${keys.length}`);
    const workerIds = new Set(world.workers.map((w) => w.deps.workerId));
    for (const linkId of linkIds) {
      const link = await world.waitForState(linkId, 'open');
      // Created at epoch 1 by its claimer: no separate claim moved it further, and no second
      // write (OPENED) followed the create.
      expect(link.epoch).toBe(1);
      expect(link.version).toBe(1);
      expect(link.snapshot.context.openedAt).toBeTypeOf('number');
      expect(workerIds.has(link.owner ?? '')).toBe(true);
      expect(world.workers.find((w) => w.deps.workerId === link.owner)?.runners.get(linkId)?.hasOpenSocket).toBe(true);
    }
    // One socket per link, ever: two workers never both created or opened one.
    for (const key of keys) {
      expect(world.sim.truth.maxOpen(key)).toBe(1);
      expect(world.sim.truth.connects(key).filter((c) => c.outcome === 'hello')).toHaveLength(1);
    }
  });

  it('leaves a link that exists alone (its socket opened first, then closed), and claims one registered but never claimed as usual', async () => {
    const [live, waiting] = newTargets(2).linkIds as [string, string];
    const liveKey = live.split(':')[2] as string;
    await registerNewLinks(world.appDeps(), [live]);
    const before = await world.waitForState(live, 'open');
    // A record with no command behind it (a registrant that stopped between its two steps).
    await createConnecting(world.appDeps(), waiting);

    await queueNewLinks(world.appDeps(), [live, waiting]);

    const claimed = await world.waitForState(waiting, 'open');
    expect(claimed.epoch).toBe(1);
    // Drained: both commands were taken; the live link's only turned stale.
    await waitFor(() => world.queue.stats().visible + world.queue.stats().inFlight === 0, 10_000, () => JSON.stringify(world.queue.stats()));
    const after = await world.link(live);
    expect(after).toMatchObject({ state: 'open', epoch: before.epoch, owner: before.owner, version: before.version });
    // Socket first: the stale registration opened a second socket, its create was refused, and it
    // closed; the holder's socket served throughout.
    expect(world.sim.truth.connects(liveKey).filter((c) => c.outcome === 'hello')).toHaveLength(2);
    await waitFor(() => world.sim.truth.openNow(liveKey) === 1, 5_000, 'the stale registration closed its socket');
    expect(world.workers.find((w) => w.deps.workerId === before.owner)?.runners.get(live)?.hasOpenSocket).toBe(true);
  });

  it('registers with records first too: one conditional create per new link, an existing one untouched', async () => {
    const { linkIds, keys } = newTargets(6);
    const existing = linkIds[0] as string;
    await registerNewLinks(world.appDeps(), [existing]);
    const first = await world.waitForState(existing, 'open');

    expect(await registerNewLinks(world.appDeps(), linkIds, 3)).toBe(5);

    for (const linkId of linkIds) await world.waitForState(linkId, 'open');
    expect(await world.link(existing)).toMatchObject({ epoch: first.epoch, owner: first.owner, version: first.version });
    for (const key of keys) expect(world.sim.truth.maxOpen(key)).toBe(1);
  });

  it('a registration whose connect Slack refuses is created parked by its one attempt, and nothing is held', async () => {
    const ws = world.sim.addWorkspace();
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    world.sim.setTokenStatus(ws.botToken, 'unknown');
    const linkId = rtmLinkId(ws.appId, ws.teamId);

    await queueNewLinks(world.appDeps(), [linkId]);

    const link = await world.waitForState(linkId, 'revoked');
    expect(link.snapshot.context.parkedReason).toBe('invalid_auth');
    // Created `connecting` and ours after the failed attempt, then the failure applied: no second attempt.
    expect(link.epoch).toBe(1);
    await linkAtRest(world, linkId);
    expect(world.sim.truth.calls('rtm.connect', ws.teamId).map((c) => c.outcome)).toEqual(['invalid_auth']);
    expect(world.sim.truth.openNow(ws.teamId)).toBe(0);
  });
});

describe('worker: a registration the store does not write', () => {
  let world: World;
  let proxy: FaultProxy;
  const clients: Array<{ destroy(): void }> = [];

  beforeAll(async () => {
    world = await World.start({ visibilityTimeoutMs: 1_000 });
    proxy = await startFaultProxy(world.engine.endpoint);
  });
  afterAll(async () => {
    await world?.stop();
    for (const client of clients) client.destroy();
    await proxy?.close();
  });

  /** A worker whose link table (and, if `registryToo`, its heartbeats) goes through the proxy. */
  const proxiedWorker = async (workerId: string, registryToo: boolean): Promise<Worker> => {
    const client = localClient(proxy.endpoint);
    clients.push(client);
    const table = { client, tableName: world.tableName };
    const deps = { ...world.workerDeps(workerId), links: new DynamoDbLinkStore(table), ...(registryToo ? { registry: new DynamoDbWorkerRegistry(table) } : {}) };
    const worker = new Worker(deps, { receiveWaitMs: 200, reconcileMs: 60_000, leaseMs: 2_000 });
    await worker.start();
    world.workers.push(worker);
    return worker;
  };
  const newWorkspace = () => {
    const ws = world.sim.addWorkspace();
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    return { teamId: ws.teamId, linkId: rtmLinkId(ws.appId, ws.teamId) };
  };

  it('a create refused closes the socket it opened and writes nothing; copies of the command open one socket at a time; it opens once the store writes', async () => {
    const worker = await proxiedWorker('w-links-proxied', false);
    const { teamId, linkId } = newWorkspace();
    await proxy.set({ kind: 'throttle-writes' });

    await queueNewLinks(world.appDeps(), [linkId]);

    // Sockets opened, their creates refused (after the client's retries), and closed again.
    await waitFor(() => proxy.counts.throttled >= 3 && world.sim.truth.connects(teamId).filter((c) => c.outcome === 'hello').length >= 2, 20_000, () => `throttled ${proxy.counts.throttled}, hellos ${world.sim.truth.connects(teamId).length}`);
    expect(await world.links.get(linkId)).toBeUndefined();
    expect(worker.runners.has(linkId)).toBe(false);

    await proxy.set({ kind: 'pass' });
    const link = await world.waitForState(linkId, 'open', 20_000);
    expect(link).toMatchObject({ owner: 'w-links-proxied', epoch: 1, version: 1 });
    await waitFor(() => world.sim.truth.openNow(teamId) === 1 && worker.runners.get(linkId)?.hasOpenSocket === true, 5_000, 'held on one socket');
    // The redelivered copies waited for the one in flight: never two sockets at once.
    expect(world.sim.truth.maxOpen(teamId)).toBe(1);
    await worker.stop();
  });

  it('with the store away (heartbeats unanswered), a registration asks Slack nothing until the store answers', async () => {
    const worker = await proxiedWorker('w-all-proxied', true);
    const { teamId, linkId } = newWorkspace();
    await proxy.set({ kind: 'refuse' });
    await waitFor(() => !worker.storeAnswers, 10_000, 'the worker to see the store away');

    await queueNewLinks(world.appDeps(), [linkId]);
    // Several copies of the command come and go (1 s visibility) while the store refuses.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(world.sim.truth.calls('rtm.connect', teamId)).toHaveLength(0);

    await proxy.set({ kind: 'pass' });
    const link = await world.waitForState(linkId, 'open', 20_000);
    expect(link.owner).toBe('w-all-proxied');
    expect(world.sim.truth.maxOpen(teamId)).toBe(1);
  });
});

describe('worker: a registration that outlasts the queue\'s visibility timeout', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({ visibilityTimeoutMs: 1_000, liveness: { helloTimeoutMs: 8_000 } });
  });
  afterAll(async () => world?.stop());

  it('keeps its command hidden while the socket opens: nobody else receives it, one connect, one socket', async () => {
    // One claim in flight at most: while this one runs the worker does not poll, so a copy the
    // queue handed out again could only reach the test's own receive below.
    const worker = await world.startWorker({ maxClaimsInFlight: 1, commandHoldEveryMs: 200, commandHoldMs: 1_000 });
    const ws = world.sim.addWorkspace();
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    world.sim.faults.delayHello(3_500, { key: ws.teamId });

    await queueNewLinks(world.appDeps(), [linkId]);
    await waitFor(() => world.sim.truth.calls('rtm.connect', ws.teamId).length === 1, 10_000, 'the registration to call Slack');
    // Past the 1 s visibility timeout more than twice over, while the hello is still withheld.
    expect(await world.queue.receive({ max: 10, waitMs: 2_500 })).toEqual([]);

    const link = await world.waitForState(linkId, 'open', 10_000);
    expect(link).toMatchObject({ owner: worker.deps.workerId, epoch: 1, version: 1 });
    // Acked once open, and no longer held: nothing comes back after the last hold runs out.
    expect(await world.queue.receive({ max: 10, waitMs: 2_000 })).toEqual([]);
    expect(world.sim.truth.calls('rtm.connect', ws.teamId)).toHaveLength(1);
    expect(world.sim.truth.maxOpen(ws.teamId)).toBe(1);
  });
});
