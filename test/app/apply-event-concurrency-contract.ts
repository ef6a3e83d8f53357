import { beforeEach, expect, it } from 'vitest';
import { applyEvent, type ApplyEventDeps, type ApplyEventResult } from '../../shared/app';
import { step, type LinkEvent, type PersistedSnapshot } from '../../shared/domain';
import type { LinkStore } from '../../shared/ports';
import type { EngineHandle } from '../support/engines';
import { fixedEnv } from '../support/link-fixtures';
import { newLinkStore } from '../support/link-tables';
import { counting } from '../support/store-decorators';

const t0 = 1_700_000_000_000;
const concurrency = 20;
// A caller loses a round only when another caller's write succeeded in between, and each of
// the other callers writes at most once, so 20 callers need at most 20 rounds each: with this
// bound, a conflict error would be a bug, not bad luck.
const maxAttempts = concurrency;

interface Outcome {
  event: LinkEvent;
  result: ApplyEventResult;
}

/**
 * Proves that concurrent applyEvent calls behave as some serial order of the same events:
 * - every call resolves (none lost to a conflict);
 * - the effective ones (`changed`) hold the versions base+1 .. base+k, each exactly once, so no
 *   write overwrote another, and the stored version is base+k;
 * - replayed in version order, each effective event steps its predecessor's stored snapshot to
 *   exactly the snapshot it wrote, so each was applied once, on top of everything before it;
 * - each ignored event was ignored by the snapshot actually stored at the version it read.
 * Clock and random are fixed, so replaying `step` is deterministic.
 */
const expectSerializable = async (
  store: LinkStore,
  id: string,
  base: { version: number; snapshot: PersistedSnapshot | undefined },
  outcomes: Outcome[],
): Promise<number> => {
  const env = fixedEnv(t0);
  const effective = outcomes.filter((o) => o.result.changed).sort((a, b) => a.result.link.version - b.result.link.version);
  const k = effective.length;
  expect(effective.map((o) => o.result.link.version)).toEqual(Array.from({ length: k }, (_, i) => base.version + 1 + i));

  const stored = await store.get(id);
  expect(stored?.version).toBe(base.version + k);
  expect(stored?.snapshot).toEqual(effective.at(-1)?.result.link.snapshot ?? base.snapshot);

  const byVersion = new Map<number, PersistedSnapshot | undefined>([[base.version, base.snapshot]]);
  let previous = base.snapshot;
  for (const { event, result } of effective) {
    expect(step(previous, event, env).snapshot).toEqual(result.link.snapshot);
    previous = result.link.snapshot;
    byVersion.set(result.link.version, previous);
  }
  for (const { event, result } of outcomes.filter((o) => !o.result.changed)) {
    expect(byVersion.get(result.link.version)).toEqual(result.link.snapshot);
    expect(step(result.link.snapshot, event, env).changed).toBe(false);
  }
  return k;
};

const report = (engine: string, label: string, calls: number, storeOps: number, ms: number): void => {
  // Measured, not asserted: speed depends on the machine.
  console.log(
    `[${engine}] ${label}: ${calls} applyEvent in ${ms.toFixed(0)} ms = ${((calls * 1000) / ms).toFixed(0)} calls/s, ` +
      `${storeOps} store ops = ${((storeOps * 1000) / ms).toFixed(0)} ops/s`,
  );
};

/** Many writers on one link: the property the whole system leans on. */
export const applyEventConcurrencyContract = (engine: EngineHandle): void => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await newLinkStore(engine.client());
  });

  it(`applies ${concurrency} concurrent events on one link as one serial history`, async () => {
    const id = 'rtm:A1:T1';
    const deps: ApplyEventDeps = { links: store, clock: { now: () => t0 }, random: () => 0.5 };
    await applyEvent(deps, id, { type: 'CONNECT' });
    const base = (await applyEvent(deps, id, { type: 'OPENED' })).link;
    // A cycle open → backoff → connecting → open, whose events are effective or ignored
    // depending on the order they land in: the count is whatever the serial order makes it.
    const cycle: LinkEvent[] = [{ type: 'DROPPED', code: 1006 }, { type: 'RETRY' }, { type: 'OPENED' }];
    const events = Array.from({ length: concurrency }, (_, i) => cycle[i % cycle.length] as LinkEvent);
    const { store: links, calls } = counting(store);

    const started = performance.now();
    const results = await Promise.all(events.map((event) => applyEvent({ ...deps, links }, id, event, { maxAttempts })));
    const elapsed = performance.now() - started;

    const k = await expectSerializable(store, id, base, events.map((event, i) => ({ event, result: results[i] as ApplyEventResult })));
    // From `open` a DROPPED is always effective, so at least one event moved the link.
    expect(k).toBeGreaterThanOrEqual(1);
    report(engine.name, `one link, ${k} effective of ${concurrency}`, concurrency, calls.get + calls.save, elapsed);
  });

  it(`creates a link exactly once when ${concurrency} CONNECTs race on it`, async () => {
    const id = 'rtm:A1:T2';
    const { store: links, calls } = counting(store);
    const deps: ApplyEventDeps = { links, clock: { now: () => t0 }, random: () => 0.5 };
    const events: LinkEvent[] = Array.from({ length: concurrency }, () => ({ type: 'CONNECT' }));

    const results = await Promise.all(events.map((event) => applyEvent(deps, id, event, { maxAttempts })));

    expect(calls.create).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.link.version === 1 && r.changed)).toHaveLength(1);
    await expectSerializable(store, id, { version: 0, snapshot: undefined }, events.map((event, i) => ({ event, result: results[i] as ApplyEventResult })));
  });

  it('keeps independent links independent under concurrent load', async () => {
    // Throughput probe across 10 links x 10 events, and a check that no link sees another's events.
    const ids = Array.from({ length: 10 }, (_, i) => `rtm:A1:L${i}`);
    const { store: links, calls } = counting(store);
    const deps: ApplyEventDeps = { links, clock: { now: () => t0 }, random: () => 0.5 };
    await Promise.all(ids.map((id) => applyEvent(deps, id, { type: 'CONNECT' })));
    const created = step(undefined, { type: 'CONNECT' }, fixedEnv(t0)).snapshot;
    const started = performance.now();
    const perLink = 10;
    const cycle: LinkEvent[] = [{ type: 'OPENED' }, { type: 'DROPPED' }, { type: 'RETRY' }];
    const work = ids.flatMap((id) => Array.from({ length: perLink }, (_, i) => ({ id, event: cycle[i % 3] as LinkEvent })));
    const results = await Promise.all(work.map(({ id, event }) => applyEvent(deps, id, event, { maxAttempts: perLink })));
    const elapsed = performance.now() - started;

    for (const id of ids) {
      const mine = work.flatMap((w, i) => (w.id === id ? [{ event: w.event, result: results[i] as ApplyEventResult }] : []));
      expect(mine.every((o) => o.result.link.id === id)).toBe(true);
      await expectSerializable(store, id, { version: 1, snapshot: created }, mine);
    }
    report(engine.name, '10 links x 10 events', work.length, calls.get + calls.save, elapsed);
  });
};

