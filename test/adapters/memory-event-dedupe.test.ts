import { describe, expect, it } from 'vitest';
import { MemoryEventDedupe } from '../../shared/adapters/memory';
import { eventDedupeContract } from './event-dedupe-contract';

describe('MemoryEventDedupe: the EventDedupe contract', () => {
  eventDedupeContract(async (ttlMs) => new MemoryEventDedupe(ttlMs === undefined ? {} : { ttlMs }));
});

describe('MemoryEventDedupe bounds', () => {
  const t0 = 1_700_000_000_000;

  it('never holds more than maxEntries claims, forgetting the oldest first', async () => {
    const dedupe = new MemoryEventDedupe({ ttlMs: 60_000, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await dedupe.claim(id, t0);
    expect(dedupe.size).toBe(3);
    expect(await dedupe.claim('d', t0)).toBe(false);
    expect(await dedupe.claim('b', t0)).toBe(false);
    expect(await dedupe.claim('a', t0)).toBe(true); // evicted: a late duplicate reaches the shared check
  });

  it('drops expired claims as time moves on, so a quiet map shrinks', async () => {
    const dedupe = new MemoryEventDedupe({ ttlMs: 1_000 });
    for (let i = 0; i < 100; i++) await dedupe.claim(`e${i}`, t0 + i);
    await dedupe.claim('late', t0 + 1_050);
    expect(dedupe.size).toBe(50);
  });

  it('refuses a bound below one', () => {
    expect(() => new MemoryEventDedupe({ maxEntries: 0 })).toThrow(RangeError);
  });
});
