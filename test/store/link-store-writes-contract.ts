import { beforeEach, expect, it } from 'vitest';
import { parseLinkId } from '../../shared/app';
import {
  FencedWriteError,
  LinkExistsError,
  LinkNotFoundError,
  LinkStoreError,
  StaleWriteError,
  type LinkStore,
} from '../../shared/ports';
import type { EngineHandle } from '../support/engines';
import { backoff, connecting, newLinkId, open, snapshotAfter } from '../support/link-fixtures';
import { newLinkStore } from '../support/link-tables';

const t0 = 1_700_000_000_000;

/** Creates, conditional saves, claims and fencing: what every LinkStore must do. */
export const linkStoreWritesContract = (engine: EngineHandle): void => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await newLinkStore(engine.client());
  });

  const createLink = (id = newLinkId(), snapshot = connecting(t0)) =>
    store.create({ ...parseLinkId(id), snapshot }, t0);

  it('creates a link at version 1, epoch 0, unowned, and reads it back whole', async () => {
    const snapshot = connecting(t0);
    const created = await store.create({ ...parseLinkId('sm:A9:3'), snapshot }, t0);
    const read = await store.get('sm:A9:3');
    expect(read).toEqual(created);
    expect(read).toMatchObject({ id: 'sm:A9:3', protocol: 'socket', appId: 'A9', slot: 3, state: 'connecting' });
    expect(read).toMatchObject({ version: 1, epoch: 0, createdAt: t0, updatedAt: t0, snapshot });
    expect(read?.owner).toBeUndefined();
  });

  it('reads a missing link as undefined', async () => {
    expect(await store.get('rtm:A1:NOPE')).toBeUndefined();
  });

  it('refuses to create a link twice and keeps the first', async () => {
    const first = await createLink('rtm:A1:T1');
    const error = await createLink('rtm:A1:T1', open(t0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkExistsError);
    expect(error).toBeInstanceOf(LinkStoreError);
    expect(error).toMatchObject({ code: 'LINK_EXISTS', name: 'LinkExistsError', linkId: 'rtm:A1:T1' });
    expect((error as Error).cause).toBeDefined();
    expect(await store.get('rtm:A1:T1')).toEqual(first);
  });

  it('saves on the current version, bumps it, and re-derives the indexed fields', async () => {
    const created = await createLink();
    const next = backoff(t0);
    const saved = await store.save({ id: created.id, snapshot: next, expectedVersion: 1, now: t0 + 5 });
    expect(saved).toMatchObject({ version: 2, state: 'backoff', updatedAt: t0 + 5, createdAt: t0, snapshot: next });
    expect(saved.attempt).toBe(next.context.attempt);
    expect(saved.nextAttemptAt).toBe(next.context.nextAttemptAt);
    expect(saved.lastError).toBe(next.context.lastError);
    expect(await store.get(created.id)).toEqual(saved);

    const reopened = await store.save({ id: created.id, snapshot: open(t0), expectedVersion: 2, now: t0 + 9 });
    expect(reopened).toMatchObject({ version: 3, state: 'open' });
    // A field the new snapshot lacks must not linger from the old one.
    expect(reopened.nextAttemptAt).toBe(open(t0).context.nextAttemptAt);
  });

  it('rejects a write based on a stale version and keeps the winner', async () => {
    const created = await createLink();
    const winner = await store.save({ id: created.id, snapshot: open(t0), expectedVersion: 1, now: t0 + 1 });
    const error = await store
      .save({ id: created.id, snapshot: backoff(t0), expectedVersion: 1, now: t0 + 2 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect(error).toMatchObject({ code: 'STALE_WRITE', expectedVersion: 1, actualVersion: 2 });
    expect(await store.get(created.id)).toEqual(winner);
  });

  it('rejects saving a link that does not exist', async () => {
    const error = await store
      .save({ id: 'rtm:A1:GONE', snapshot: open(t0), expectedVersion: 1, now: t0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkNotFoundError);
    expect(await store.get('rtm:A1:GONE')).toBeUndefined();
  });

  it('claims a link: sets the owner and the next epoch, leaves the version alone', async () => {
    const created = await createLink();
    const claimed = await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    expect(claimed).toMatchObject({ owner: 'w1', epoch: 1, version: 1, snapshot: created.snapshot });
    expect(await store.get(created.id)).toEqual(claimed);
  });

  it('rejects a second claim with the old epoch', async () => {
    const created = await createLink();
    await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    const error = await store.claim({ id: created.id, owner: 'w2', expectedEpoch: 0, now: t0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedWriteError);
    expect(error).toMatchObject({ code: 'FENCED_WRITE', actual: { owner: 'w1', epoch: 1 } });
    expect(await store.get(created.id)).toMatchObject({ owner: 'w1', epoch: 1 });
  });

  it('lets exactly one of many concurrent claims on the same epoch win', async () => {
    const created = await createLink();
    const workers = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const results = await Promise.allSettled(
      workers.map((owner) => store.claim({ id: created.id, owner, expectedEpoch: 0, now: t0 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const r of lost) expect(r.reason).toBeInstanceOf(FencedWriteError);
    const winner = workers[results.findIndex((r) => r.status === 'fulfilled')];
    expect(await store.get(created.id)).toMatchObject({ owner: winner, epoch: 1, version: 1 });
  });

  it('claims with an expected state only while the link is in it (a connect command claims without a read)', async () => {
    const waiting = await createLink();
    expect(await store.claim({ id: waiting.id, owner: 'w1', expectedEpoch: 0, expectedState: 'connecting', now: t0 })).toMatchObject({ owner: 'w1', epoch: 1 });
    const parked = await createLink(newLinkId(), backoff(t0));
    const error = await store.claim({ id: parked.id, owner: 'w1', expectedEpoch: 0, expectedState: 'connecting', now: t0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedWriteError);
    expect(await store.get(parked.id)).toEqual(parked);
  });

  it('creates a link already claimed by an owner: epoch 1, as create-then-claim would leave it; once only', async () => {
    const id = newLinkId();
    const created = await store.create({ ...parseLinkId(id), snapshot: connecting(t0), owner: 'w1' }, t0);
    expect(created).toMatchObject({ owner: 'w1', epoch: 1, version: 1, state: 'connecting' });
    expect(await store.get(id)).toEqual(created);
    const again = await store.create({ ...parseLinkId(id), snapshot: connecting(t0), owner: 'w2' }, t0).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LinkExistsError);
    expect((await store.get(id))?.owner).toBe('w1');
  });

  it('rejects a claim of a missing link as not found', async () => {
    const error = await store.claim({ id: 'rtm:A1:GONE', owner: 'w1', expectedEpoch: 0, now: t0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkNotFoundError);
  });

  it('fences out the previous owner after a re-claim, even on the current version', async () => {
    const created = await createLink();
    await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    await store.claim({ id: created.id, owner: 'w2', expectedEpoch: 1, now: t0 });
    const stale = { id: created.id, snapshot: open(t0), expectedVersion: 1, now: t0 };

    const error = await store.save({ ...stale, fence: { owner: 'w1', epoch: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedWriteError);
    expect(error).toMatchObject({ expected: { owner: 'w1', epoch: 1 }, actual: { owner: 'w2', epoch: 2 } });
    expect(await store.get(created.id)).toMatchObject({ version: 1, state: 'connecting' });

    const saved = await store.save({ ...stale, fence: { owner: 'w2', epoch: 2 } });
    expect(saved).toMatchObject({ version: 2, state: 'open', owner: 'w2', epoch: 2 });
  });

  it('reports a fenced writer as fenced even when its version is stale too', async () => {
    const created = await createLink();
    await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    await store.save({ id: created.id, snapshot: open(t0), expectedVersion: 1, now: t0, fence: { owner: 'w1', epoch: 1 } });
    await store.claim({ id: created.id, owner: 'w2', expectedEpoch: 1, now: t0 });
    const error = await store
      .save({ id: created.id, snapshot: backoff(t0), expectedVersion: 1, now: t0, fence: { owner: 'w1', epoch: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedWriteError);
  });

  it('fences a writer with the current epoch but another owner', async () => {
    const created = await createLink();
    await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    const error = await store
      .save({ id: created.id, snapshot: open(t0), expectedVersion: 1, now: t0, fence: { owner: 'w9', epoch: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedWriteError);
    expect(await store.get(created.id)).toMatchObject({ version: 1 });
  });

  it('releases a link only for the current owner, keeping the epoch', async () => {
    const created = await createLink();
    await store.claim({ id: created.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    const wrong = await store.release(created.id, { owner: 'w1', epoch: 0 }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(FencedWriteError);
    const released = await store.release(created.id, { owner: 'w1', epoch: 1 });
    expect(released.owner).toBeUndefined();
    expect(released).toMatchObject({ epoch: 1, version: 1 });
    const next = await store.claim({ id: created.id, owner: 'w2', expectedEpoch: 1, now: t0 });
    expect(next).toMatchObject({ owner: 'w2', epoch: 2 });
  });

  it('stores a snapshot that a later step of the machine accepts unchanged', async () => {
    const snapshot = snapshotAfter([{ type: 'CONNECT' }, { type: 'OPENED' }, { type: 'DROPPED', code: 1006 }], t0);
    const created = await createLink(newLinkId(), snapshot);
    expect((await store.get(created.id))?.snapshot).toStrictEqual(snapshot);
  });
};
