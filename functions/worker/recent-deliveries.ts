import { DEFAULT_DEDUPE_TIMINGS } from '../../shared/ports';

export interface RecentDeliveryLimits {
  /** Keys kept at most; past it the oldest go first. Default 10,000 (a few MB at most). */
  maxKeys: number;
  /** How long a key is kept. Default the dedupe store's completed hold (10 minutes: Slack's +1 and +5 min retries). */
  keepMs: number;
}

export const DEFAULT_RECENT_LIMITS: RecentDeliveryLimits = { maxKeys: 10_000, keepMs: DEFAULT_DEDUPE_TIMINGS.completedMs };

/**
 * The payloads this worker delivered lately (the sink or bot accepted them), by payload key, with
 * the bot's answer: the forwarder's own memory, asked before the dedupe store. A redelivery of a
 * payload this worker already delivered is answered from here even when the store cannot be
 * asked (away, slow, throttling), which is when the store's record may be missing too: a
 * delivery made without a claim has none. Bounded by count and age; an evicted key only falls
 * back to the store. The answer is kept as JSON, as the store keeps it, so every caller gets a copy.
 */
export class RecentDeliveries {
  /** key → when delivered and the answer (JSON); Map order is write order, so the front is the oldest. */
  private readonly byKey = new Map<string, { at: number; answer: string | undefined }>();
  private readonly limits: RecentDeliveryLimits;

  constructor(limits: Partial<RecentDeliveryLimits> = {}) {
    this.limits = { ...DEFAULT_RECENT_LIMITS, ...limits };
    if (this.limits.maxKeys < 1) throw new RangeError('maxKeys must be at least 1');
  }

  get size(): number {
    return this.byKey.size;
  }

  remember(key: string, answer: unknown, now: number): void {
    this.byKey.delete(key);
    this.byKey.set(key, { at: now, answer: answer === undefined ? undefined : JSON.stringify(answer) });
    while (this.byKey.size > this.limits.maxKeys) this.byKey.delete(this.byKey.keys().next().value as string);
    this.expire(now);
  }

  /** The answer of a payload delivered within `keepMs` (`answer` absent when the bot gave none), or undefined. */
  find(key: string, now: number): { answer?: unknown } | undefined {
    const entry = this.byKey.get(key);
    if (!entry) return undefined;
    if (now - entry.at >= this.limits.keepMs) {
      this.byKey.delete(key);
      return undefined;
    }
    return entry.answer === undefined ? {} : { answer: JSON.parse(entry.answer) as unknown };
  }

  private expire(now: number): void {
    for (const [key, entry] of this.byKey) {
      if (now - entry.at < this.limits.keepMs) return;
      this.byKey.delete(key);
    }
  }
}
