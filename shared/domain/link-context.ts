import type { BackoffOptions } from './backoff';

export type LinkStateName = 'connecting' | 'open' | 'backoff' | 'inactive' | 'revoked';

export const LINK_STATES = ['connecting', 'open', 'backoff', 'inactive', 'revoked'] as const satisfies readonly LinkStateName[];

/** States in which a link holds, or is getting, a socket. */
export const HELD_STATES: readonly LinkStateName[] = ['connecting', 'open'];
/** States that only REGISTERED leaves. */
export const PARKED_STATES: readonly LinkStateName[] = ['inactive', 'revoked'];
/** States a link is alive in: held, or waiting for its retry (everything but parked). */
export const LIVE_STATES: readonly LinkStateName[] = LINK_STATES.filter((state) => !PARKED_STATES.includes(state));

export const isHeld = (state: LinkStateName): boolean => HELD_STATES.includes(state);
export const isParked = (state: LinkStateName): boolean => PARKED_STATES.includes(state);

/** What a link remembers. JSON-safe: it is persisted as is. */
export interface LinkContext {
  /** Consecutive failed connect attempts since the link was last open; 0 right after OPENED. */
  attempt: number;
  /** Consecutive drops of a link that had been open for less than `stableOpenMs`. */
  flaps: number;
  /** When the current state was entered (epoch ms). */
  stateSince: number;
  /** When the link last became open. */
  openedAt?: number;
  /** When the link last stopped being open (or was created): the start of its downtime. */
  downSince?: number;
  /** When the pending retry is due, while in backoff. */
  nextAttemptAt?: number;
  /** The delay of the pending retry, while in backoff. */
  retryDelayMs?: number;
  /** The last failure's canonical code (see `classifySlackFailure`). */
  lastError?: string;
  /** Why the link is parked, while inactive or revoked. */
  parkedReason?: string;
  /** The installation token version the link connects with. */
  tokenVersion?: number;
  /** When Slack last asked for a planned refresh. */
  lastRefreshAt?: number;
}

/** Tunables of the machine's policy. */
export interface LinkPolicy extends BackoffOptions {
  /**
   * A link open at least this long that drops is retried at once; a shorter-lived one is
   * flapping, and each flap backs off like a failed attempt so it cannot hammer Tier 1 methods.
   */
  stableOpenMs: number;
}

export const DEFAULT_POLICY: LinkPolicy = { baseMs: 1_000, capMs: 60_000, stableOpenMs: 30_000 };

/**
 * The stable-open rule: a link open since `openedAt` that drops at `now` had a healthy run (its
 * retry is immediate), not a flap. A link with no recorded open counts as stable. The machine
 * plans a drop by it; the worker uses it to start the retry's socket while DROPPED is written.
 */
export function isStableOpen(openedAt: number | undefined, now: number, policy: Partial<LinkPolicy> = {}): boolean {
  const stableOpenMs = policy.stableOpenMs ?? DEFAULT_POLICY.stableOpenMs;
  return openedAt === undefined || now - openedAt >= stableOpenMs;
}
