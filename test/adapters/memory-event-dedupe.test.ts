import { describe, expect, it } from 'vitest';
import { MemoryEventDedupe } from '../../shared/adapters/memory';
import { eventDedupeContract } from './event-dedupe-contract';

describe('MemoryEventDedupe: the EventDedupe contract', () => {
  eventDedupeContract(async (timings) => new MemoryEventDedupe(timings ?? {}));
});

describe('MemoryEventDedupe bounds', () => {
  const t0 = 1_700_000_000_000;

  it('never holds more than maxEntries claims, forgetting the oldest first', async () => {
    const dedupe = new MemoryEventDedupe({ completedMs: 60_000, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await dedupe.claimOnce(id, t0);
    expect(dedupe.size).toBe(3);
    expect(await dedupe.claimOnce('d', t0)).toBe(false);
    expect(await dedupe.claimOnce('b', t0)).toBe(false);
    expect(await dedupe.claimOnce('a', t0)).toBe(true); // evicted: a late duplicate gets through
  });

  it('drops expired claims as time moves on, so a quiet map shrinks', async () => {
    const dedupe = new MemoryEventDedupe({ completedMs: 1_000 });
    for (let i = 0; i < 100; i++) await dedupe.claimOnce(`e${i}`, t0 + i);
    await dedupe.claimOnce('late', t0 + 1_050);
    expect(dedupe.size).toBe(50);
  });

  it('hands back a copy of the answer, never the object the holder gave', async () => {
    const dedupe = new MemoryEventDedupe();
    const claim = await dedupe.claim('c1', t0);
    const answer = { text: 'pong' };
    await dedupe.complete('c1', claim.state === 'claimed' ? claim.holder : '', t0, answer);
    answer.text = 'changed';
    expect(await dedupe.claim('c1', t0 + 1)).toEqual({ state: 'completed', answer: { text: 'pong' } });
  });

  it('refuses a bound below one', () => {
    expect(() => new MemoryEventDedupe({ maxEntries: 0 })).toThrow(RangeError);
  });
});
