import type { LinkPolicy } from './link-context';

/**
 * The events a link accepts. Every component moves a link only by sending it one of these.
 */
export type LinkEvent =
  /** Start a new link, or connect now from backoff (operator or duplicate start). */
  | { type: 'CONNECT' }
  /** The socket said `hello`: the link is live. */
  | { type: 'OPENED' }
  /** The socket closed or was declared dead (close code, error, silent socket). */
  | { type: 'DROPPED'; code?: number; reason?: string }
  /** Slack asked for a planned reconnect: RTM `goodbye`, Socket Mode `warning` / `refresh_requested`. */
  | { type: 'REFRESH'; reason: string }
  /**
   * A connect attempt failed. `error` is a Slack error or reason string, classified by the
   * machine through `classifySlackError`. `tokenVersion` names the token the attempt used, so a
   * failure of a token that was replaced meanwhile cannot park a freshly reinstalled link.
   */
  | { type: 'CONNECT_FAILED'; error: string; retryAfterMs?: number; tokenVersion?: number }
  /** The backoff delay is over: try again. */
  | { type: 'RETRY' }
  /** The integration is disabled (`account_inactive`, `team_disabled`, `link_disabled`, ...). */
  | { type: 'DISABLED'; reason: string }
  /** The app was removed or its token revoked (`invalid_auth`, `app_uninstalled`, ...). */
  | { type: 'REVOKED'; reason: string }
  /** The workspace installed the app again ("Add to Slack"), with a new token. */
  | { type: 'REGISTERED'; tokenVersion?: number }
  /** The worker holding the link is presumed dead. */
  | { type: 'OWNER_LOST' };

export type LinkEventType = LinkEvent['type'];

export const LINK_EVENT_TYPES = [
  'CONNECT',
  'OPENED',
  'DROPPED',
  'REFRESH',
  'CONNECT_FAILED',
  'RETRY',
  'DISABLED',
  'REVOKED',
  'REGISTERED',
  'OWNER_LOST',
] as const satisfies readonly LinkEventType[];

/** What the outside world lends a step: the time, and a source of randomness in [0, 1). */
export interface StepEnv {
  now: number;
  random: () => number;
  /** Overrides of the machine's policy (backoff base and cap, stable-open threshold). */
  policy?: Partial<LinkPolicy>;
}
