/**
 * The effects a step asks for. The machine names them; `applyEvent`'s caller performs them
 * after the new snapshot is safely written.
 */
export interface EffectParams {
  /** Open a socket: fetch a fresh URL (`rtm.connect` / `apps.connections.open`), wait for `hello`. */
  requestConnect: { attempt: number; tokenVersion?: number };
  /** Try again after `delayMs` (the restart workflow's Wait). `at` is `now + delayMs`. */
  scheduleRetry: { delayMs: number; attempt: number; at: number; reason: string };
  /** Forget any pending retry: the link left backoff another way. */
  cancelRetry: Record<string, never>;
  /** Close the link's socket (if any) and do not reconnect. */
  closeSocket: { reason: string };
  /** Open a new socket, switch to it, then close the old one (make-before-break). */
  replaceSocket: { reason: string };
  /** The link came up: for metrics (time to reconnect) and logs. */
  recordOpened: { failedAttempts: number; downSince?: number };
  /** The link was parked: for metrics (fatal errors by code) and alarms (revocation spikes). */
  reportParked: { state: 'inactive' | 'revoked'; reason: string };
  /** A Slack error the classification table does not know: treated as transient, but say so. */
  reportUnknownError: { error: string };
}

export type EffectType = keyof EffectParams;

export type Effect = { [K in EffectType]: { type: K; params: EffectParams[K] } }[EffectType];

export const EFFECT_TYPES = [
  'requestConnect',
  'scheduleRetry',
  'cancelRetry',
  'closeSocket',
  'replaceSocket',
  'recordOpened',
  'reportParked',
  'reportUnknownError',
] as const satisfies readonly EffectType[];

export const isEffectType = (type: string): type is EffectType =>
  (EFFECT_TYPES as readonly string[]).includes(type);
