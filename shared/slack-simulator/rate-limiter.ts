import type { Clock } from './clock';
import type { RateRule } from './options';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token buckets per method and per app+workspace, the unit Slack counts in (SLACK-PROTOCOL §5:
 * "per app per workspace"). Forced bursts (a fault) answer 429 regardless of the bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private forced: { method?: string; key?: string; remaining: number; retryAfterSeconds: number }[] = [];

  constructor(
    private readonly clock: Clock,
    private rules: false | Record<string, RateRule | false>,
    private readonly fixedRetryAfter?: number,
  ) {}

  setRules(rules: false | Record<string, RateRule | false>): void {
    this.rules = rules;
    this.buckets.clear();
  }

  /** The next `count` calls (of `method`, for `key`) get 429 with this Retry-After. */
  force(count: number, retryAfterSeconds: number, method?: string, key?: string): void {
    this.forced.push({ method, key, remaining: count, retryAfterSeconds });
  }

  check(method: string, key: string): RateDecision {
    // Keys are `<app>:<team>`; a fault may name either part.
    const forced = this.forced.find((f) => (!f.method || f.method === method) && (!f.key || key.split(':').includes(f.key)));
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.forced = this.forced.filter((f) => f !== forced);
      return { allowed: false, retryAfterSeconds: forced.retryAfterSeconds };
    }
    const rule = this.rules === false ? undefined : this.rules[method];
    if (!rule) return { allowed: true };
    const now = this.clock.now();
    const id = `${method}\u0000${key}`;
    const perMs = rule.perMinute / 60_000;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = { tokens: rule.burst, updatedAt: now };
      this.buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(rule.burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return { allowed: false, retryAfterSeconds: this.fixedRetryAfter ?? waitSeconds };
  }
}
