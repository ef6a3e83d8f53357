/**
 * What a claim found. `claimed`: yours to deliver, then `complete` (the sink or bot accepted) or
 * `release` (it refused). `completed`: already delivered; answer the redelivery with the same
 * `answer` (the bot's ack payload, when there was one). `in-progress`: another holder is
 * delivering it right now, and holds it until `until` unless it completes or releases first.
 */
export type DedupeClaim =
  | { state: 'claimed'; holder: string }
  | { state: 'completed'; answer?: unknown }
  | { state: 'in-progress'; holder: string; until: number };

/**
 * Delivers each Slack payload once across workers and crashes. A claim is `in-progress` only
 * for a few seconds (about Slack's 3 s ack window): a holder that dies mid-delivery leaves a
 * claim that expires, so Slack's redelivery goes through instead of being taken for a duplicate.
 * A completed claim is kept long (10 minutes by default: Slack retries at +1 and +5 min) with the
 * answer, so a redelivery of an answered payload gets the same answer. Every write is
 * conditional, per key. DynamoDB items with TTL on AWS and embedded; a memory twin.
 */
export interface EventDedupe {
  /** Claims `key` unless a live claim (in progress or completed, not yet expired) holds it. */
  claim(key: string, now: number): Promise<DedupeClaim>;
  /**
   * Marks the holder's claim completed, keeping `answer` (JSON). False when the claim is no longer
   * this holder's (it expired and someone took it over, or it was released).
   */
  complete(key: string, holder: string, now: number, answer?: unknown): Promise<boolean>;
  /** Forgets the holder's claim so the redelivery goes through; someone else's claim is left alone. */
  release(key: string, holder: string): Promise<void>;
  /**
   * A one-shot marker (an OAuth state, a lifecycle event): records `key` as completed at once;
   * false if a live claim already holds it.
   */
  claimOnce(key: string, now: number): Promise<boolean>;
  /** Forgets a one-shot marker (or any claim of `key`), whoever holds it. */
  forget(key: string): Promise<void>;
}

export interface EventDedupeTimings {
  /** How long an in-progress claim holds without completing. Default 3,000 (Slack's ack window). */
  inProgressMs: number;
  /** How long a completed claim (and its answer) is kept. Default 10 minutes. */
  completedMs: number;
}

export const DEFAULT_DEDUPE_TIMINGS: EventDedupeTimings = { inProgressMs: 3_000, completedMs: 10 * 60_000 };
