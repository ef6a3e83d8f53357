import { expect, it } from 'vitest';
import type { EventDedupe } from '../../shared/ports';

/** A fresh, empty dedupe whose claims hold for `ttlMs` (the adapter's default when omitted). */
export type DedupeFactory = (ttlMs?: number) => Promise<EventDedupe>;

const t0 = 1_700_000_000_000;
const tenMinutes = 10 * 60_000;

/** The EventDedupe contract: a claim holds for exactly its TTL, shared by every caller. */
export const eventDedupeContract = (makeDedupe: DedupeFactory): void => {
  it('lets the first claim of an event through and refuses the duplicate', async () => {
    const dedupe = await makeDedupe(60_000);
    expect(await dedupe.claim('Ev1', t0)).toBe(true);
    expect(await dedupe.claim('Ev1', t0)).toBe(false);
    expect(await dedupe.claim('Ev1', t0 + 59_999)).toBe(false);
  });

  it('lets a claim through again once the previous one expired, and that one holds anew', async () => {
    const dedupe = await makeDedupe(60_000);
    await dedupe.claim('Ev1', t0);
    expect(await dedupe.claim('Ev1', t0 + 60_000)).toBe(true);
    expect(await dedupe.claim('Ev1', t0 + 60_001)).toBe(false);
    expect(await dedupe.claim('Ev1', t0 + 119_999)).toBe(false);
  });

  it('holds a claim for 10 minutes by default, past both of Slack retries', async () => {
    const dedupe = await makeDedupe();
    await dedupe.claim('Ev1', t0);
    expect(await dedupe.claim('Ev1', t0 + 60_000)).toBe(false);
    expect(await dedupe.claim('Ev1', t0 + 5 * 60_000)).toBe(false);
    expect(await dedupe.claim('Ev1', t0 + tenMinutes - 1)).toBe(false);
    expect(await dedupe.claim('Ev1', t0 + tenMinutes)).toBe(true);
  });

  it('forgets a released claim, so the redelivery goes through', async () => {
    const dedupe = await makeDedupe(60_000);
    await dedupe.claim('Ev1', t0);
    await dedupe.release('Ev1');
    expect(await dedupe.claim('Ev1', t0 + 1)).toBe(true);
    expect(await dedupe.claim('Ev1', t0 + 2)).toBe(false);
  });

  it('releases an unknown event without complaint', async () => {
    const dedupe = await makeDedupe(60_000);
    await expect(dedupe.release('never-claimed')).resolves.toBeUndefined();
  });

  it('keeps events apart', async () => {
    const dedupe = await makeDedupe(60_000);
    expect(await dedupe.claim('Ev1', t0)).toBe(true);
    expect(await dedupe.claim('Ev2', t0)).toBe(true);
    await dedupe.release('Ev1');
    expect(await dedupe.claim('Ev2', t0 + 1)).toBe(false);
  });

  it('lets exactly one of many concurrent claims of one event through', async () => {
    const dedupe = await makeDedupe(60_000);
    const results = await Promise.all(Array.from({ length: 12 }, () => dedupe.claim('Ev1', t0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
};
