import type { EventDedupe } from '../../ports';

export interface MemoryEventDedupeOptions {
  /** How long a claim holds. Default 10 minutes, like the DynamoDB adapter. */
  ttlMs?: number;
  /** Claims kept at most; the oldest go first. Default 100,000. */
  maxEntries?: number;
}

/**
 * EventDedupe in one process's memory: a worker's first-level check before the shared DynamoDB
 * one, and the embedded twin in tests. Bounded, because a busy worker sees unbounded ids: past
 * `maxEntries` the oldest claims are forgotten early, which only lets a very late duplicate
 * through to the shared check.
 */
export class MemoryEventDedupe implements EventDedupe {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  /** id → claimed until; Map order is claim order, so the front holds the oldest claims. */
  private readonly claims = new Map<string, number>();

  constructor(options: MemoryEventDedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (this.maxEntries < 1) throw new RangeError('maxEntries must be at least 1');
  }

  get size(): number {
    return this.claims.size;
  }

  async claim(eventId: string, now: number): Promise<boolean> {
    this.sweep(now);
    const until = this.claims.get(eventId);
    if (until !== undefined && until > now) return false;
    // Re-insert so the Map's order stays the claim order.
    this.claims.delete(eventId);
    this.claims.set(eventId, now + this.ttlMs);
    while (this.claims.size > this.maxEntries) this.dropOldest();
    return true;
  }

  async release(eventId: string): Promise<void> {
    this.claims.delete(eventId);
  }

  /** Drops expired claims from the front; amortised O(1) per claim since each id leaves once. */
  private sweep(now: number): void {
    for (const [id, until] of this.claims) {
      if (until > now) return;
      this.claims.delete(id);
    }
  }

  private dropOldest(): void {
    const oldest = this.claims.keys().next();
    if (!oldest.done) this.claims.delete(oldest.value);
  }
}
