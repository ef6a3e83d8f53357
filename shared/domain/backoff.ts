/** How retries are spaced. Defaults follow DESIGN.md: full jitter, base 1 s, cap 60 s. */
export interface BackoffOptions {
  /** The ceiling of the first jittered window, in ms. */
  baseMs: number;
  /** No jittered delay exceeds this (a Retry-After floor may). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000 };

/**
 * The delay before the next connect attempt, in ms.
 *
 * `attempt` counts the consecutive failures so far. Attempt 0 is the first retry after a drop
 * from a healthy open link, which is immediate: the common case (a network blip, a load balancer
 * recycling) should cost no downtime. From attempt 1 on, full jitter:
 * `random(0, min(cap, base * 2^(attempt - 1)))`, so attempt 1 waits up to `base`, and the cap is
 * reached at attempt 7 with the defaults. `retryAfterMs` (from a 429 or a slow-retry error) is a
 * floor: Slack said when it will listen again, so no jitter may undercut it.
 */
export function backoffDelay(
  input: { attempt: number; retryAfterMs?: number },
  options: Partial<BackoffOptions> = {},
  random: () => number = Math.random,
): number {
  const { baseMs, capMs } = { ...DEFAULT_BACKOFF, ...options };
  const attempt = Math.max(0, Math.floor(input.attempt));
  const floor = Math.max(0, input.retryAfterMs ?? 0);
  if (attempt === 0) return Math.ceil(floor);
  // 2^(attempt-1) overflows to Infinity for huge attempts, which min() turns into the cap.
  const window = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(clampUnit(random()) * window);
  return Math.ceil(Math.max(floor, jittered));
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}
