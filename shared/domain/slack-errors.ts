import type { LinkEvent } from './events';

/**
 * Which Slack failure means what: the one table. Handlers never match on error strings; they
 * hand the failure to `classifySlackError` and act on its kind.
 *
 * - `refresh`: Slack wants a planned reconnect (make-before-break).
 * - `transient`: back off with jitter and try again.
 * - `ratelimited`: wait at least Retry-After, then try again.
 * - `inactive`: the installation cannot hold this link until an admin acts (re-enables, fixes
 *   scopes or settings, reinstalls). Parked; only REGISTERED brings it back.
 * - `revoked`: the token is gone (uninstalled, revoked, invalid). Parked until REGISTERED.
 *
 * Sources: SLACK-PROTOCOL.md §1.3, §2.1, §2.4, §3.5, §6.
 */
export type FailureKind = 'refresh' | 'transient' | 'ratelimited' | 'inactive' | 'revoked';

/** A failure as the edges see it. Strings are Slack error codes, disconnect reasons or `goodbye`. */
export type SlackFailure =
  | string
  | { error: string; retryAfterMs?: number }
  | { httpStatus: number; retryAfterMs?: number }
  | { closeCode: number; reason?: string }
  | { networkError: string };

export interface Classification {
  kind: FailureKind;
  /** The canonical string for this failure: what `lastError` records and metrics group by. */
  code: string;
  /** False for a string the table does not know: treated as transient, and reported. */
  known: boolean;
  /** A floor for the next delay: Retry-After, or a slow retry for long-lived conditions. */
  retryAfterMs?: number;
}

interface Row {
  kind: FailureKind;
  /** Slow retries for conditions that take minutes to clear, in ms. */
  floorMs?: number;
}

/** Slack asks a client without Retry-After to wait 30 s (python SDK's "Tier1" default). */
export const DEFAULT_RATELIMIT_MS = 30_000;
/** Conditions that clear in minutes, not seconds (migrations, org changes, our own bugs). */
const SLOW_MS = 60_000;

const row = (kind: FailureKind, floorMs?: number): Row => (floorMs === undefined ? { kind } : { kind, floorMs });

const TABLE: Readonly<Record<string, Row>> = {
  // Planned reconnects: RTM goodbye and team migration, Socket Mode disconnect reasons.
  goodbye: row('refresh'),
  team_migration_started: row('refresh'),
  warning: row('refresh'),
  refresh_requested: row('refresh'),
  // Too many sockets for the app: Slack closes one. Not fatal; the worker must shed sockets.
  too_many_websockets: row('transient'),

  // Disabled: the token exists but this installation cannot hold a socket until an admin acts.
  account_inactive: row('inactive'),
  team_disabled: row('inactive'),
  link_disabled: row('inactive'),
  // A token of the wrong family (granular xoxb on RTM, bot token on Socket Mode) or without
  // rtm:stream / connections:write never starts working by retrying; a reinstall with the right
  // app or scopes fixes it, so it parks as inactive (not revoked: the token itself is valid).
  not_allowed_token_type: row('inactive'),
  missing_scope: row('inactive'),
  no_permission: row('inactive'),
  is_bot: row('inactive'),
  forbidden_team: row('inactive'),
  ekm_access_denied: row('inactive'),
  enterprise_is_restricted: row('inactive'),
  two_factor_setup_required: row('inactive'),
  accesslimited: row('inactive'),
  access_denied: row('inactive'),

  // Revoked: the credentials are gone.
  invalid_auth: row('revoked'),
  not_authed: row('revoked'),
  token_revoked: row('revoked'),
  user_removed_from_team: row('revoked'),
  app_uninstalled: row('revoked'),
  tokens_revoked: row('revoked'),
  // apps.connections.open without an app-level token: the same as not_authed.
  missing_args: row('revoked'),
  // A rotating token whose refresh token was rejected cannot be renewed: reinstall needed.
  invalid_refresh_token: row('revoked'),

  // A rotating token past its expiry. Transient, not fatal: the connect path refreshes the
  // token (oauth.v2.access, refresh grant) before every attempt when less than 2 h remain, so
  // the next attempt carries a fresh one; if the refresh is refused, that is
  // `invalid_refresh_token`, which revokes.
  token_expired: row('transient'),

  // Rate limited: wait at least Retry-After.
  ratelimited: row('ratelimited'),
  rate_limited: row('ratelimited'),

  // Slack-side trouble: back off with jitter.
  fatal_error: row('transient'),
  internal_error: row('transient'),
  service_unavailable: row('transient'),
  request_timeout: row('transient'),
  // Long-lived conditions: retry slowly.
  migration_in_progress: row('transient', SLOW_MS),
  team_added_to_org: row('transient', SLOW_MS),
  org_login_required: row('transient', SLOW_MS),
  // Our own request was malformed or used a retired method. Retrying fast cannot help and
  // parking would punish the workspace for our bug: retry slowly (and the alarm on lastError
  // shows it).
  method_deprecated: row('transient', SLOW_MS),
  deprecated_endpoint: row('transient', SLOW_MS),
  unknown_method: row('transient', SLOW_MS),
  rtm_connect_required: row('transient', SLOW_MS),
  insecure_request: row('transient', SLOW_MS),
  invalid_arg_name: row('transient', SLOW_MS),
  invalid_array_arg: row('transient', SLOW_MS),
  invalid_charset: row('transient', SLOW_MS),
  invalid_form_data: row('transient', SLOW_MS),
  invalid_post_type: row('transient', SLOW_MS),
  missing_post_type: row('transient', SLOW_MS),

  // Socket-level outcomes the worker reports as strings.
  hello_timeout: row('transient'),
  socket_url_expired: row('transient'),
  dead_socket: row('transient'),
  // Outcomes of a workflow's connect task: nobody answered the command within its TimeoutSeconds
  // (the worker died, or none had room), or the worker let go of the link before it opened
  // (drain, shutdown, fenced). Both are worth another attempt.
  connect_timeout: row('transient'),
  connect_abandoned: row('transient'),
};

/** Network error codes from Node's sockets and DNS: always transient. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Every string the table knows, for table tests and docs. */
export const KNOWN_SLACK_ERRORS: readonly string[] = Object.keys(TABLE);

/** The kind of a failure. */
export function classifySlackError(input: SlackFailure): FailureKind {
  return classifySlackFailure(input).kind;
}

/** The kind of a failure, with its canonical code and any delay floor. */
export function classifySlackFailure(input: SlackFailure): Classification {
  if (typeof input === 'string') return fromCode(input);
  if ('httpStatus' in input) return fromCode(`http_${input.httpStatus}`, input.retryAfterMs);
  if ('closeCode' in input) return fromCode(`close_${input.closeCode}`);
  if ('networkError' in input) return fromCode(input.networkError);
  return fromCode(input.error, input.retryAfterMs);
}

function fromCode(raw: string, retryAfterMs?: number): Classification {
  const code = raw.trim();
  const row = TABLE[code] ?? TABLE[code.toLowerCase()];
  if (row) return withFloor({ kind: row.kind, code, known: true }, row, retryAfterMs);

  const http = /^http_(\d{3})$/.exec(code);
  if (http) {
    const status = Number(http[1]);
    // 429 is Slack's only meaningful non-200 status; 408 on the upgrade and 5xx are Slack-side.
    // Anything else is unexpected: still transient (never fatal on a guess), but reported.
    if (status === 429) return withFloor({ kind: 'ratelimited', code, known: true }, { kind: 'ratelimited' }, retryAfterMs);
    const known = status === 408 || (status >= 500 && status <= 599);
    return withFloor({ kind: 'transient', code, known }, { kind: 'transient' }, retryAfterMs);
  }

  // Slack documents no close codes (SLACK-PROTOCOL.md §6); every SDK reconnects on every close.
  // Any valid close code (1000-4999) is a transient drop.
  const close = /^close_(\d{4})$/.exec(code);
  if (close) {
    const closeCode = Number(close[1]);
    const known = closeCode >= 1000 && closeCode <= 4999;
    return withFloor({ kind: 'transient', code, known }, { kind: 'transient' }, retryAfterMs);
  }

  if (NETWORK_CODES.has(code.toUpperCase())) return { kind: 'transient', code: code.toUpperCase(), known: true };

  return withFloor({ kind: 'transient', code: code || 'unknown', known: false }, { kind: 'transient' }, retryAfterMs);
}

function withFloor(result: Classification, row: Row, retryAfterMs?: number): Classification {
  const floor = Math.max(
    retryAfterMs ?? 0,
    row.floorMs ?? 0,
    row.kind === 'ratelimited' && retryAfterMs === undefined ? DEFAULT_RATELIMIT_MS : 0,
  );
  return floor > 0 ? { ...result, retryAfterMs: floor } : result;
}

/**
 * What a Socket Mode `disconnect` notice asks of the link, by the same table: a refresh reason
 * is REFRESH, an inactive one DISABLED (`link_disabled`), a revoked one REVOKED. Any other
 * reason (`too_many_websockets`, unknown ones) is no event: Slack closes that socket, and the
 * close arrives as DROPPED, where a short-lived socket counts as a flap.
 */
export function disconnectNoticeEvent(reason: string): Extract<LinkEvent, { type: 'REFRESH' | 'DISABLED' | 'REVOKED' }> | undefined {
  switch (classifySlackFailure(reason).kind) {
    case 'refresh':
      return { type: 'REFRESH', reason };
    case 'inactive':
      return { type: 'DISABLED', reason };
    case 'revoked':
      return { type: 'REVOKED', reason };
    default:
      return undefined;
  }
}
