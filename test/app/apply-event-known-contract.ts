import { beforeEach, expect, it } from 'vitest';
import { applyEvent, type ApplyEventDeps } from '../../shared/app';
import { step } from '../../shared/domain';
import type { LinkStore } from '../../shared/ports';
import type { EngineHandle } from '../support/engines';
import { fixedEnv } from '../support/link-fixtures';
import { newLinkStore } from '../support/link-tables';
import { counting } from '../support/store-decorators';

const t0 = 1_700_000_000_000;
const deps = (links: LinkStore, now = t0): ApplyEventDeps => ({ links, clock: { now: () => now }, random: () => 0.5 });

/**
 * `known`: the caller's last record of the link stands in for the read. It may save the read,
 * never change the outcome: whatever the record, the result is the one a fresh read would give.
 */
export const applyEventKnownContract = (engine: EngineHandle): void => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await newLinkStore(engine.client());
  });

  it('steps a current known record without reading the link', async () => {
    const created = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    const { store: links, calls } = counting(store);
    const result = await applyEvent(deps(links, t0 + 5), 'rtm:A1:T1', { type: 'OPENED' }, { known: created.link });
    expect(calls).toMatchObject({ get: 0, save: 1 });
    expect(result.link).toMatchObject({ version: 2, state: 'open', snapshot: step(created.link.snapshot, { type: 'OPENED' }, fixedEnv(t0 + 5)).snapshot });
    expect(await store.get('rtm:A1:T1')).toEqual(result.link);
  });

  it('re-reads and re-steps when the known record is outdated', async () => {
    const created = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    const opened = await applyEvent(deps(store, t0 + 1), 'rtm:A1:T1', { type: 'OPENED' });
    const result = await applyEvent(deps(store, t0 + 9), 'rtm:A1:T1', { type: 'DROPPED', code: 1006 }, { known: created.link });
    expect(result.changed).toBe(true);
    expect(result.link).toMatchObject({ version: 3, state: 'backoff', snapshot: step(opened.link.snapshot, { type: 'DROPPED', code: 1006 }, fixedEnv(t0 + 9)).snapshot });
  });

  it('does not conclude "nothing to do" from an outdated record', async () => {
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    const opened = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' });
    const backoff = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'DROPPED', code: 1006 });
    await applyEvent(deps(store), 'rtm:A1:T1', { type: 'OPENED' }); // a late attempt opened it again
    expect(step(backoff.link.snapshot, { type: 'DROPPED', code: 1006 }, fixedEnv(t0)).changed).toBe(false); // premise
    const result = await applyEvent(deps(store, t0 + 9), 'rtm:A1:T1', { type: 'DROPPED', code: 1006 }, { known: backoff.link });
    expect(result).toMatchObject({ changed: true, link: { state: 'backoff', version: opened.link.version + 3 } });
  });

  it('ignores a known record of another claim, so fencing is decided by the store', async () => {
    const created = await applyEvent(deps(store), 'rtm:A1:T1', { type: 'CONNECT' });
    await store.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: t0 });
    const { store: links, calls } = counting(store);
    const result = await applyEvent(deps(links), 'rtm:A1:T1', { type: 'OPENED' }, { fence: { owner: 'w1', epoch: 1 }, known: created.link });
    expect(calls.get).toBe(1);
    expect(result.link).toMatchObject({ state: 'open', owner: 'w1', epoch: 1 });
  });
};
