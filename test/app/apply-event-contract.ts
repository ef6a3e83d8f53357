import { beforeEach, expect, it } from 'vitest';
import { ApplyEventConflictError, InvalidLinkIdError, applyEvent, previousVersionWriter, type ApplyEventDeps } from '../../shared/app';
import { MACHINE_VERSION, UnknownMachineVersionError, step, type PersistedSnapshot } from '../../shared/domain';
import { FencedWriteError, LinkNotFoundError, StaleWriteError, type LinkStore } from '../../shared/ports';
import type { EngineHandle } from '../support/engines';
import { fixedEnv, snapshotAfter } from '../support/link-fixtures';
import { newLinkStore } from '../support/link-tables';
import { afterEachGet, counting } from '../support/store-decorators';

const t0 = 1_700_000_000_000;
const deps = (links: LinkStore, now = t0): ApplyEventDeps => ({ links, clock: { now: () => now }, random: () => 0.5 });

/** applyEvent's load → step → conditional save, its retries and its fencing, on a real store. */
export const applyEventContract = (engine: EngineHandle): void => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await newLinkStore(engine.client());
  });

  const openLink = async (id: string) => {
    await applyEvent(deps(store), id, { type: 'CONNECT' });
    return applyEvent(deps(store), id, { type: 'OPENED' });
  };

  it('creates a link from CONNECT, deriving protocol, app and slot from its id', async () => {
    const result = await applyEvent(deps(store), 'sm:A7:2', { type: 'CONNECT' });
    expect(result.changed).toBe(true);
    expect(result.link).toMatchObject({ id: 'sm:A7:2', protocol: 'socket', appId: 'A7', slot: 2, version: 1, state: 'connecting' });
    expect(result.effects.map((e) => e.type)).toContain('requestConnect');
    expect(await store.get('sm:A7:2')).toEqual(result.link);
  });

  it('refuses other first events, fenced creation and malformed ids, creating nothing', async () => {
    await expect(applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' })).rejects.toBeInstanceOf(LinkNotFoundError);
    const fence = { fence: { owner: 'w1', epoch: 1 } };
    await expect(applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' }, fence)).rejects.toBeInstanceOf(LinkNotFoundError);
    await expect(applyEvent(deps(store), 'xmpp:A1:T1', { type: 'CONNECT' })).rejects.toBeInstanceOf(InvalidLinkIdError);
    expect(await store.get('rtm:A1:T1')).toBeUndefined();
    expect(await store.get('xmpp:A1:T1')).toBeUndefined();
  });

  it('writes an effective event as the next version and returns its effects', async () => {
    const opened = await openLink('rtm:A1:T1');
    const dropped = await applyEvent(deps(store, t0 + 1_000), 'rtm:A1:T1', { type: 'DROPPED', code: 1006 });
    const expected = step(opened.link.snapshot, { type: 'DROPPED', code: 1006 }, fixedEnv(t0 + 1_000));
    expect(dropped).toMatchObject({ changed: true, effects: expected.effects });
    expect(dropped.link).toMatchObject({ version: 3, state: 'backoff', snapshot: expected.snapshot, updatedAt: t0 + 1_000 });
    expect(await store.get('rtm:A1:T1')).toEqual(dropped.link);
  });

  it('writes nothing for an event the state ignores', async () => {
    await openLink('rtm:A1:T1');
    const backoff = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'DROPPED' });
    expect(step(backoff.link.snapshot, { type: 'DROPPED' }, fixedEnv(t0)).changed).toBe(false); // premise
    const { store: links, calls } = counting(store);

    const result = await applyEvent(deps(links), 'rtm:A1:T1', { type: 'DROPPED' });
    expect(result).toMatchObject({ changed: false, link: backoff.link });
    expect(calls.save).toBe(0);
    expect(await store.get('rtm:A1:T1')).toEqual(backoff.link);
  });

  it('returns the effects of an event that changes nothing, without writing', async () => {
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    const revoked = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'REVOKED', reason: 'token_revoked' });
    const premise = step(revoked.link.snapshot, { type: 'OPENED' }, fixedEnv(t0));
    expect(premise.changed).toBe(false);
    expect(premise.effects.map((e) => e.type)).toContain('closeSocket');
    const { store: links, calls } = counting(store);

    const result = await applyEvent(deps(links), 'rtm:A1:T1', { type: 'OPENED' });
    expect(result).toMatchObject({ changed: false, effects: premise.effects, link: revoked.link });
    expect(calls.save).toBe(0);
  });

  it('re-steps on the newer snapshot when another event lands between load and save', async () => {
    const opened = await openLink('rtm:A1:T1');
    const refresh = { type: 'REFRESH', reason: 'goodbye' } as const;
    const racing = afterEachGet(store, (_read, n) =>
      n === 1 ? applyEvent(deps(store, t0 + 5), 'rtm:A1:T1', refresh) : Promise.resolve(),
    );

    const result = await applyEvent(deps(racing, t0 + 9), 'rtm:A1:T1', { type: 'DROPPED' });
    const afterRefresh = step(opened.link.snapshot, refresh, fixedEnv(t0 + 5)).snapshot;
    const expected = step(afterRefresh, { type: 'DROPPED' }, fixedEnv(t0 + 9)).snapshot;
    expect(result.changed).toBe(true);
    expect(result.link).toMatchObject({ version: 4, snapshot: expected });
    expect(await store.get('rtm:A1:T1')).toEqual(result.link);
  });

  it('gives up with a typed error after the attempt bound', async () => {
    await openLink('rtm:A1:T1');
    // Every read is overtaken by a real write, so every save is stale.
    const overtaken = afterEachGet(store, (read) =>
      store.save({ id: 'rtm:A1:T1', snapshot: read?.snapshot as PersistedSnapshot, expectedVersion: read?.version ?? 0, now: t0 }),
    );
    const error = await applyEvent(deps(overtaken), 'rtm:A1:T1', { type: 'DROPPED' }, { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyEventConflictError);
    expect(error).toMatchObject({ attempts: 3, linkId: 'rtm:A1:T1' });
    expect((error as Error).cause).toBeInstanceOf(StaleWriteError);
    expect(await store.get('rtm:A1:T1')).toMatchObject({ version: 5, state: 'open' });
  });

  it('writes with a current fence and keeps the claim', async () => {
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    await store.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: t0 });
    const result = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' }, { fence: { owner: 'w1', epoch: 1 } });
    expect(result.link).toMatchObject({ state: 'open', version: 2, owner: 'w1', epoch: 1 });
  });

  it('fails a superseded worker without writing, even for an event its state ignores', async () => {
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    await store.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: t0 });
    await store.claim({ id: 'rtm:A1:T1', owner: 'w2', expectedEpoch: 1, now: t0 });
    const { store: links, calls } = counting(store);
    const old = { fence: { owner: 'w1', epoch: 1 } };
    await expect(applyEvent(deps(links), 'rtm:A1:T1', { type: 'OPENED' }, old)).rejects.toBeInstanceOf(FencedWriteError);
    await expect(applyEvent(deps(links), 'rtm:A1:T1', { type: 'RETRY' }, old)).rejects.toBeInstanceOf(FencedWriteError);
    expect(calls.save).toBe(0);
    expect(await store.get('rtm:A1:T1')).toMatchObject({ version: 1, owner: 'w2', epoch: 2 });
  });

  it('does not retry when a re-claim lands between load and save', async () => {
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    await store.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: t0 });
    const reclaimed = afterEachGet(store, () => store.claim({ id: 'rtm:A1:T1', owner: 'w2', expectedEpoch: 1, now: t0 }));
    const { store: links, calls } = counting(reclaimed);
    const result = applyEvent(deps(links), 'rtm:A1:T1', { type: 'OPENED' }, { fence: { owner: 'w1', epoch: 1 } });
    await expect(result).rejects.toBeInstanceOf(FencedWriteError);
    expect(calls).toMatchObject({ get: 1, save: 1 });
    expect(await store.get('rtm:A1:T1')).toMatchObject({ version: 1, state: 'connecting', owner: 'w2' });
  });

  it('rejects a snapshot of an unknown machine version instead of reinterpreting it', async () => {
    const future = { ...snapshotAfter([{ type: 'CONNECT' }], t0), machineVersion: 99 };
    await store.create({ id: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1', snapshot: future }, t0);
    await expect(applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' })).rejects.toBeInstanceOf(UnknownMachineVersionError);
    expect(await store.get('rtm:A1:T1')).toMatchObject({ version: 1 });
  });

  it('stores each snapshot as the writer\'s version: the current one by default, the previous one for a writer that asks, never older', async () => {
    const created = await applyEvent({ ...deps(store), writeVersion: previousVersionWriter() }, 'rtm:A1:T1', { type: 'CONNECT' });
    expect(created.link.snapshot.machineVersion).toBe(MACHINE_VERSION - 1);
    const opened = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' });
    expect((await store.get('rtm:A1:T1'))?.snapshot).toEqual(opened.link.snapshot);
    expect(opened.link.snapshot.machineVersion).toBe(MACHINE_VERSION);
    // A writer asking for a version this release cannot write gets the oldest it can.
    const dropped = await applyEvent({ ...deps(store), writeVersion: () => 0 }, 'rtm:A1:T1', { type: 'DROPPED', code: 1006 });
    expect(dropped.link).toMatchObject({ state: 'backoff', snapshot: { machineVersion: MACHINE_VERSION - 1 } });
  });
};
