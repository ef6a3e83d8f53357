import { STATUS_ERROR, type TokenKind, type TokenRecord } from '../model';
import type { Registry } from '../registry';
import type { ApiRequest } from './request';
import { fail, type ApiResult } from './respond';

export interface AuthRule {
  /** Token families the method accepts; others get `not_allowed_token_type`. */
  kinds: readonly TokenKind[];
  /** apps.connections.open reads the token from the Authorization header only (SLACK-PROTOCOL §2.1). */
  headerOnly?: boolean;
  /** Any one of these scopes is enough; none of them → `missing_scope`. */
  anyScope?: readonly string[];
  /** RTM refuses granular bot tokens (SLACK-PROTOCOL §1.1). */
  classicOnly?: boolean;
}

export type AuthOutcome = { ok: true; token: TokenRecord } | { ok: false; result: ApiResult; token?: TokenRecord };

/** The order matters and mirrors Slack: presence, validity, status, family, then scope. */
export function authenticate(registry: Registry, req: ApiRequest, rule: AuthRule): AuthOutcome {
  const raw = req.bearer ?? (rule.headerOnly ? undefined : req.argToken);
  if (!raw) {
    // A form token where only the header counts is a bad credential, not a missing one.
    return { ok: false, result: fail(rule.headerOnly && req.argToken ? 'invalid_auth' : 'not_authed') };
  }
  const token = registry.token(raw);
  if (!token) return { ok: false, result: fail('invalid_auth') };
  if (token.status !== 'active') return { ok: false, result: fail(STATUS_ERROR[token.status]), token };
  if (!rule.kinds.includes(token.kind) || (rule.classicOnly && !token.classic)) {
    return { ok: false, result: fail('not_allowed_token_type'), token };
  }
  if (rule.anyScope && !rule.anyScope.some((s) => token.scopes.includes(s))) {
    return {
      ok: false,
      result: fail('missing_scope', { needed: rule.anyScope.join(','), provided: token.scopes.join(',') }),
      token,
    };
  }
  return { ok: true, token };
}
