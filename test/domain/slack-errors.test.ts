import { describe, expect, it } from 'vitest';
import {
  classifySlackError,
  classifySlackFailure,
  disconnectNoticeEvent,
  KNOWN_SLACK_ERRORS,
  type FailureKind,
  type SlackFailure,
} from '../../shared/domain';

/**
 * Every row of the classification table: each Web API error of SLACK-PROTOCOL.md §1.3 and the
 * Socket Mode errors of §2.1, the disconnect reasons of §2.4, RTM goodbye, close codes, HTTP
 * statuses and network errors.
 */
const ROWS: Array<[SlackFailure, FailureKind]> = [
  // Planned reconnects.
  ['goodbye', 'refresh'],
  ['team_migration_started', 'refresh'],
  ['warning', 'refresh'],
  ['refresh_requested', 'refresh'],
  [{ error: 'refresh_requested' }, 'refresh'],
  ['too_many_websockets', 'transient'],
  // Disabled.
  ['account_inactive', 'inactive'],
  ['team_disabled', 'inactive'],
  ['link_disabled', 'inactive'],
  ['not_allowed_token_type', 'inactive'],
  ['missing_scope', 'inactive'],
  ['no_permission', 'inactive'],
  ['is_bot', 'inactive'],
  ['forbidden_team', 'inactive'],
  ['ekm_access_denied', 'inactive'],
  ['enterprise_is_restricted', 'inactive'],
  ['two_factor_setup_required', 'inactive'],
  ['accesslimited', 'inactive'],
  ['access_denied', 'inactive'],
  // Revoked.
  ['invalid_auth', 'revoked'],
  ['not_authed', 'revoked'],
  ['token_revoked', 'revoked'],
  ['user_removed_from_team', 'revoked'],
  ['app_uninstalled', 'revoked'],
  ['tokens_revoked', 'revoked'],
  ['missing_args', 'revoked'],
  ['invalid_refresh_token', 'revoked'],
  // Rotation and rate limits.
  ['token_expired', 'transient'],
  ['ratelimited', 'ratelimited'],
  ['rate_limited', 'ratelimited'],
  [{ httpStatus: 429, retryAfterMs: 7_000 }, 'ratelimited'],
  // Slack-side and request trouble.
  ['fatal_error', 'transient'],
  ['internal_error', 'transient'],
  ['service_unavailable', 'transient'],
  ['request_timeout', 'transient'],
  ['migration_in_progress', 'transient'],
  ['team_added_to_org', 'transient'],
  ['org_login_required', 'transient'],
  ['method_deprecated', 'transient'],
  ['deprecated_endpoint', 'transient'],
  ['unknown_method', 'transient'],
  ['rtm_connect_required', 'transient'],
  ['insecure_request', 'transient'],
  ['invalid_arg_name', 'transient'],
  ['invalid_array_arg', 'transient'],
  ['invalid_charset', 'transient'],
  ['invalid_form_data', 'transient'],
  ['invalid_post_type', 'transient'],
  ['missing_post_type', 'transient'],
  ['hello_timeout', 'transient'],
  ['socket_url_expired', 'transient'],
  ['dead_socket', 'transient'],
  ['connect_timeout', 'transient'],
  ['connect_abandoned', 'transient'],
  // Transport.
  [{ httpStatus: 408 }, 'transient'],
  [{ httpStatus: 500 }, 'transient'],
  [{ httpStatus: 503 }, 'transient'],
  [{ closeCode: 1000 }, 'transient'],
  [{ closeCode: 1001 }, 'transient'],
  [{ closeCode: 1005 }, 'transient'],
  [{ closeCode: 1006 }, 'transient'],
  [{ closeCode: 1011 }, 'transient'],
  [{ closeCode: 4000 }, 'transient'],
  ['close_1006', 'transient'],
  [{ networkError: 'ECONNRESET' }, 'transient'],
  [{ networkError: 'ETIMEDOUT' }, 'transient'],
  [{ networkError: 'ENOTFOUND' }, 'transient'],
  ['ECONNREFUSED', 'transient'],
];

describe('classifySlackError', () => {
  it.each(ROWS)('%j → %s', (input, kind) => {
    expect(classifySlackError(input)).toBe(kind);
  });

  it('has a test row for every string the table knows', () => {
    const tested = new Set(ROWS.map(([input]) => (typeof input === 'string' ? input : 'error' in input ? input.error : '')));
    const untested = KNOWN_SLACK_ERRORS.filter((code) => !tested.has(code));
    expect(untested).toEqual([]);
  });

  it('treats an unknown string as transient and flags it for reporting, never as fatal', () => {
    expect(classifySlackFailure('brand_new_error')).toEqual({ kind: 'transient', code: 'brand_new_error', known: false });
    expect(classifySlackFailure({ httpStatus: 418 })).toMatchObject({ kind: 'transient', known: false });
    expect(classifySlackFailure('')).toMatchObject({ kind: 'transient', code: 'unknown', known: false });
  });

  it('carries Retry-After as a floor, and 30 s when a rate limit names none', () => {
    expect(classifySlackFailure({ httpStatus: 429, retryAfterMs: 7_000 })).toEqual({ kind: 'ratelimited', code: 'http_429', known: true, retryAfterMs: 7_000 });
    expect(classifySlackFailure('ratelimited').retryAfterMs).toBe(30_000);
    expect(classifySlackFailure({ error: 'ratelimited', retryAfterMs: 2_000 }).retryAfterMs).toBe(2_000);
  });

  it('retries long-lived conditions slowly', () => {
    expect(classifySlackFailure('migration_in_progress').retryAfterMs).toBe(60_000);
    expect(classifySlackFailure('internal_error').retryAfterMs).toBeUndefined();
  });

  it('canonicalises codes so metrics group them', () => {
    expect(classifySlackFailure({ closeCode: 1006 }).code).toBe('close_1006');
    expect(classifySlackFailure({ networkError: 'econnreset' }).code).toBe('ECONNRESET');
    expect(classifySlackFailure(' invalid_auth ').code).toBe('invalid_auth');
  });
});

describe('disconnectNoticeEvent: what a Socket Mode disconnect notice asks of the link', () => {
  it.each([
    ['warning', { type: 'REFRESH', reason: 'warning' }],
    ['refresh_requested', { type: 'REFRESH', reason: 'refresh_requested' }],
    ['link_disabled', { type: 'DISABLED', reason: 'link_disabled' }],
    ['invalid_auth', { type: 'REVOKED', reason: 'invalid_auth' }],
    // Slack closes the socket itself: the close is the event (DROPPED), a short-lived one a flap.
    ['too_many_websockets', undefined],
    ['internal_error', undefined],
    ['ratelimited', undefined],
    ['a_reason_nobody_documented', undefined],
  ])('%s → %j', (reason, event) => {
    expect(disconnectNoticeEvent(reason)).toEqual(event);
  });

  it('follows the table for every string it knows', () => {
    const expected = { refresh: 'REFRESH', inactive: 'DISABLED', revoked: 'REVOKED', transient: undefined, ratelimited: undefined };
    for (const code of KNOWN_SLACK_ERRORS) expect(disconnectNoticeEvent(code)?.type, code).toBe(expected[classifySlackError(code)]);
  });
});
