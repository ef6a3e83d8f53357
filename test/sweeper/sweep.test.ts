import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler, SweepIncompleteError } from '../../functions/sweeper/handler';
import { startDynalite, type RunningEngine } from '../support/dynalite';
import { localClient } from '../support/link-tables';
import { newLinkId } from '../support/link-fixtures';
import type { LinkStore } from '../../shared/ports';
import { counting } from '../support/store-decorators';
import { sweepWorld, worker, type SweepWorld } from './support';

describe('sweeper (dynalite)', () => {
  let engine: RunningEngine;
  let client: DynamoDBClient;
  beforeAll(async () => {
    engine = await startDynalite();
    client = localClient(engine.endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await engine.stop();
  });

  const openLinkOwnedBy = async (world: SweepWorld, owner: string): Promise<string> => {
    const id = newLinkId();
    await world.drive(id, { type: 'CONNECT' });
    await world.links.claim({ id, owner, expectedEpoch: 0, now: world.clock.now() });
    await world.drive(id, { type: 'OPENED' });
    return id;
  };

  it('hands links of an owner that is gone from the registry to the restart workflow, without waiting', async () => {
    const world = await sweepWorld(client);
    const id = await openLinkOwnedBy(world, 'w-gone');

    const report = await makeHandler(world.deps)();

    expect(world.waited).toEqual([]);
    expect(report).toMatchObject({ liveWorkers: 0, ownerLost: 1 });
    const link = await world.links.get(id);
    expect(link?.state).toBe('backoff');
    expect(world.orchestration.retries).toEqual([expect.objectContaining({ linkId: id, epoch: 1, delayMs: 0 })]);
    expect(world.metrics.values('LiveWorkers')).toEqual([0]);
  });

  it('judges a worker dead when its heartbeat stands still for a lease, and spares a live one', async () => {
    const world = await sweepWorld(client);
    await world.registry.register(worker('w-dead', 8_000));
    await world.registry.register(worker('w-live', 8_000));
    const orphan = await openLinkOwnedBy(world, 'w-dead');
    const kept = await openLinkOwnedBy(world, 'w-live');
    let beats = 0;
    world.duringWait.push(async () => void (beats++ === 0 && (await world.registry.heartbeat('w-live', 0, { linkCount: 1, draining: false }))));

    const report = await makeHandler(world.deps)();

    // A lease and a margin, then one more look a heartbeat later for the unmoved.
    expect(world.waited).toEqual([9_000, 2_000]);
    expect(report).toMatchObject({ liveWorkers: 1, deadWorkers: ['w-dead'], ownerLost: 1 });
    expect((await world.registry.list()).map((w) => w.workerId)).toEqual(['w-live']);
    expect((await world.links.get(orphan))?.state).toBe('backoff');
    expect((await world.links.get(kept))).toMatchObject({ state: 'open', owner: 'w-live' });
  });

  it('spares a worker silent for the whole lease (a store outage) whose renewal lands within a heartbeat after it', async () => {
    const world = await sweepWorld(client);
    await world.registry.register(worker('w-behind-outage', 8_000));
    const kept = await openLinkOwnedBy(world, 'w-behind-outage');
    let waits = 0;
    // Silent through the lease (its renewals could not reach the store), renewed in the confirm window.
    world.duringWait.push(async () => void (waits++ === 1 && (await world.registry.heartbeat('w-behind-outage', 0, { linkCount: 1, draining: false }))));

    const report = await makeHandler(world.deps)();

    expect(report).toMatchObject({ liveWorkers: 1, deadWorkers: [], ownerLost: 0 });
    expect((await world.registry.list()).map((w) => w.workerId)).toEqual(['w-behind-outage']);
    expect(await world.links.get(kept)).toMatchObject({ state: 'open', owner: 'w-behind-outage' });
  });

  it('leaves a link alone when a live worker claimed it after the index was read', async () => {
    const world = await sweepWorld(client);
    const id = await openLinkOwnedBy(world, 'w-gone');
    const listByState = world.links.listByState.bind(world.links);
    world.links.listByState = async (state, query) => {
      const page = await listByState(state, query);
      if (state === 'open') await world.links.claim({ id, owner: 'w-new', expectedEpoch: 1, now: world.clock.now() });
      return page;
    };

    const report = await makeHandler(world.deps)();

    expect(report.ownerLost).toBe(0);
    expect(await world.links.get(id)).toMatchObject({ state: 'open', owner: 'w-new', epoch: 2 });
    expect(world.orchestration.retries).toEqual([]);
  });

  it('re-announces a backoff retry overdue by more than a minute, due now, and leaves a pending one', async () => {
    const world = await sweepWorld(client);
    const stuck = newLinkId();
    await world.drive(stuck, { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'internal_error' });
    const dueAt = (await world.links.get(stuck))!.nextAttemptAt!;
    world.clock.set(dueAt + 61_000);
    const pending = newLinkId();
    await world.drive(pending, { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'internal_error' });

    const report = await makeHandler(world.deps)();

    expect(report).toMatchObject({ reannounced: 1, overdue: 1 });
    expect(world.orchestration.retries).toEqual([expect.objectContaining({ linkId: stuck, delayMs: 0 })]);
    expect((await world.links.get(stuck))?.state).toBe('backoff');
    expect(world.metrics.values('LinksByState', { State: 'backoff', Overdue: 'true' })).toEqual([1]);
  });

  it('never moves back a link whose retry fired after the overdue list was read', async () => {
    const world = await sweepWorld(client);
    const id = newLinkId();
    await world.drive(id, { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'internal_error' });
    world.clock.set((await world.links.get(id))!.nextAttemptAt! + 61_000);
    // The restart workflow's RETRY lands between the sweep's index read and its re-announce.
    const racing: LinkStore = {
      ...counting(world.links).store,
      listByState: async (state, query) => {
        const page = await world.links.listByState(state, query);
        if (state === 'backoff' && query?.dueAtOrBefore !== undefined) await world.drive(id, { type: 'RETRY' });
        return page;
      },
    };

    const report = await makeHandler({ ...world.deps, links: racing })();

    expect(report).toMatchObject({ overdue: 1, reannounced: 0, failures: 0 });
    expect(world.orchestration.retries).toEqual([]);
    expect((await world.links.get(id))?.state).toBe('connecting');
  });

  it('reports the whole fleet by state, one point per state with only a State dimension', async () => {
    const world = await sweepWorld(client);
    await world.registry.register(worker('w1'));
    world.duringWait.push(async () => void (await world.registry.heartbeat('w1', 0, { linkCount: 0, draining: false })));
    await openLinkOwnedBy(world, 'w1');
    await world.drive(newLinkId(), { type: 'CONNECT' });
    await world.drive(newLinkId(), { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'account_inactive' });
    await world.drive(newLinkId(), { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'invalid_auth' });
    await world.drive(newLinkId(), { type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'internal_error' });

    await makeHandler(world.deps)();

    const fleet = world.metrics.points.filter((p) => p.name === 'LinksByState' && Object.keys(p.dimensions).length === 1);
    expect(Object.fromEntries(fleet.map((p) => [p.dimensions.State, p.value]))).toEqual({ connecting: 1, open: 1, backoff: 1, inactive: 1, revoked: 1 });
    expect(world.metrics.values('LiveWorkers')).toEqual([1]);
  });

  it('fails the invocation, after reporting, when a link could not be handed over', async () => {
    const world = await sweepWorld(client);
    await openLinkOwnedBy(world, 'w-gone');
    world.orchestration.failWith = new Error('states:StartExecution throttled');

    const run = makeHandler(world.deps)();

    await expect(run).rejects.toBeInstanceOf(SweepIncompleteError);
    expect(world.metrics.values('LinksByState', { State: 'backoff' }).length).toBeGreaterThan(0);
  });
});
