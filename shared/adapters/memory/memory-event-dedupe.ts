import { randomUUID } from 'node:crypto';
import { DEFAULT_DEDUPE_TIMINGS, type DedupeClaim, type EventDedupe, type EventDedupeTimings } from '../../ports';

export interface MemoryEventDedupeOptions extends Partial<EventDedupeTimings> {
  /** Claims kept at most; the oldest go first. Default 100,000. */
  maxEntries?: number;
}

interface Entry {
  state: 'in-progress' | 'completed';
  holder: string;
  until: number;
  answer?: string;
}

/**
 * EventDedupe in one process's memory: the embedded twin in tests. Bounded, because a busy
 * worker sees unbounded ids: past `maxEntries` the oldest claims are forgotten early, which only
 * lets a very late duplicate through. The answer is kept as JSON, as the DynamoDB adapter keeps
 * it, so both hand back a copy and never the caller's object.
 */
export class MemoryEventDedupe implements EventDedupe {
  private readonly timings: EventDedupeTimings;
  private readonly maxEntries: number;
  /** key → claim; Map order is write order, so the front holds the oldest writes. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: MemoryEventDedupeOptions = {}) {
    this.timings = {
      inProgressMs: options.inProgressMs ?? DEFAULT_DEDUPE_TIMINGS.inProgressMs,
      completedMs: options.completedMs ?? DEFAULT_DEDUPE_TIMINGS.completedMs,
    };
    this.maxEntries = options.maxEntries ?? 100_000;
    if (this.maxEntries < 1) throw new RangeError('maxEntries must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  async claim(key: string, now: number): Promise<DedupeClaim> {
    const found = this.live(key, now);
    if (found?.state === 'completed') return found.answer === undefined ? { state: 'completed' } : { state: 'completed', answer: JSON.parse(found.answer) as unknown };
    if (found) return { state: 'in-progress', holder: found.holder, until: found.until };
    const holder = randomUUID();
    this.write(key, { state: 'in-progress', holder, until: now + this.timings.inProgressMs }, now);
    return { state: 'claimed', holder };
  }

  async complete(key: string, holder: string, now: number, answer?: unknown): Promise<boolean> {
    if (this.entries.get(key)?.holder !== holder) return false;
    const entry: Entry = { state: 'completed', holder, until: now + this.timings.completedMs };
    if (answer !== undefined) entry.answer = JSON.stringify(answer);
    this.write(key, entry, now);
    return true;
  }

  async release(key: string, holder: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry?.holder === holder && entry.state === 'in-progress') this.entries.delete(key);
  }

  async claimOnce(key: string, now: number): Promise<boolean> {
    if (this.live(key, now)) return false;
    this.write(key, { state: 'completed', holder: randomUUID(), until: now + this.timings.completedMs }, now);
    return true;
  }

  async forget(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    return entry && entry.until > now ? entry : undefined;
  }

  private write(key: string, entry: Entry, now: number): void {
    this.sweep(now);
    // Re-insert so the Map's order stays the write order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.dropOldest();
  }

  /**
   * Drops expired entries from the front. In-progress entries expire sooner than completed ones
   * written before them, so the front is only roughly in expiry order: an expired entry behind a
   * live one waits for a later sweep (or for eviction), which only costs memory, never a verdict.
   */
  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.until > now) return;
      this.entries.delete(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
