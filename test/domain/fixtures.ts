import {
  MACHINE_VERSION,
  type LinkContext,
  type LinkEvent,
  type LinkStateName,
  type PersistedSnapshot,
  type StepEnv,
} from '../../shared/domain';

export const T0 = 1_700_000_000_000;

/** A deterministic env: fixed time, a fixed draw from the random source. */
export const envAt = (now = T0, draw = 0.5): StepEnv => ({ now, random: () => draw });

/** A persisted snapshot in any state, as the store would hand it back. */
export function snapshotIn(value: LinkStateName, context: Partial<LinkContext> = {}): PersistedSnapshot {
  return {
    machineVersion: MACHINE_VERSION,
    value,
    context: { attempt: 0, flaps: 0, stateSince: T0 - 60_000, ...context },
  };
}

/** One representative of every event type, plus the CONNECT_FAILED variants the table knows. */
export const EVENTS = {
  CONNECT: { type: 'CONNECT' },
  OPENED: { type: 'OPENED' },
  DROPPED: { type: 'DROPPED', code: 1006 },
  REFRESH: { type: 'REFRESH', reason: 'goodbye' },
  'CONNECT_FAILED(transient)': { type: 'CONNECT_FAILED', error: 'internal_error' },
  'CONNECT_FAILED(ratelimited)': { type: 'CONNECT_FAILED', error: 'ratelimited', retryAfterMs: 120_000 },
  'CONNECT_FAILED(inactive)': { type: 'CONNECT_FAILED', error: 'account_inactive' },
  'CONNECT_FAILED(revoked)': { type: 'CONNECT_FAILED', error: 'invalid_auth' },
  'CONNECT_FAILED(unknown)': { type: 'CONNECT_FAILED', error: 'something_new' },
  RETRY: { type: 'RETRY' },
  DISABLED: { type: 'DISABLED', reason: 'account_inactive' },
  REVOKED: { type: 'REVOKED', reason: 'app_uninstalled' },
  REGISTERED: { type: 'REGISTERED', tokenVersion: 2 },
  OWNER_LOST: { type: 'OWNER_LOST' },
} as const satisfies Record<string, LinkEvent>;

export type EventName = keyof typeof EVENTS;
