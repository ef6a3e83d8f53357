import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnecting, queueNewLinks, registerNewLinks, rtmLinkId, socketModeLinkId } from '../../shared/app';
import { waitFor, World } from './harness/world';

/**
 * Issue 16's cold start from nothing: a registration is a connect command marked `register`, and
 * the worker that takes it creates the link already claimed (one conditional write) before it
 * opens the socket. Behaviour only; the time is the bench's (`coldStartFromNothing5000Ms`).
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

  it('opens every link, each created already claimed by the worker holding its one socket', async () => {
    const { linkIds, keys } = newTargets(40);
    for (const linkId of linkIds) expect(await world.links.get(linkId)).toBeUndefined();

    await queueNewLinks(world.appDeps(), linkIds);

    await waitFor(() => keys.every((key) => world.sim.truth.openNow(key) === 1), 30_000, () => `open: ${keys.filter((k) => world.sim.truth.openNow(k) === 1).length}/${keys.length}`);
    const workerIds = new Set(world.workers.map((w) => w.deps.workerId));
    for (const linkId of linkIds) {
      const link = await world.waitForState(linkId, 'open');
      // Created at epoch 1 by its claimer: no separate claim moved it further.
      expect(link.epoch).toBe(1);
      expect(workerIds.has(link.owner ?? '')).toBe(true);
      expect(world.workers.find((w) => w.deps.workerId === link.owner)?.runners.get(linkId)?.hasOpenSocket).toBe(true);
    }
    // One socket per link, ever: two workers never both created or opened one.
    for (const key of keys) {
      expect(world.sim.truth.maxOpen(key)).toBe(1);
      expect(world.sim.truth.connects(key).filter((c) => c.outcome === 'hello')).toHaveLength(1);
    }
  });

  it('leaves a link that exists alone, and claims one registered but never claimed as usual', async () => {
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
    expect(world.sim.truth.connects(liveKey).filter((c) => c.outcome === 'hello')).toHaveLength(1);
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
});
