import type { ServerResponse } from 'node:http';
import { newReqId } from '../ids';

/** What a handler returns: Slack answers 200 for success and for errors alike. */
export interface ApiResult {
  body: Record<string, unknown>;
  /** Scopes the calling token has (X-OAuth-Scopes). */
  scopes?: readonly string[];
}

/** Headers every Web API response carries (SLACK-PROTOCOL §8). */
function baseHeaders(accepted: readonly string[], scopes: readonly string[] | undefined): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-slack-req-id': newReqId(),
    'x-oauth-scopes': (scopes ?? []).join(','),
    'x-accepted-oauth-scopes': accepted.join(','),
    'access-control-expose-headers': 'x-slack-req-id, retry-after',
    'access-control-allow-origin': '*',
  };
}

export function sendApi(res: ServerResponse, result: ApiResult, accepted: readonly string[]): void {
  const payload = JSON.stringify(result.body);
  res.writeHead(200, baseHeaders(accepted, result.scopes));
  res.end(payload);
}

export function sendRateLimited(res: ServerResponse, retryAfterSeconds: number, accepted: readonly string[]): void {
  res.writeHead(429, { ...baseHeaders(accepted, undefined), 'retry-after': String(retryAfterSeconds) });
  res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
}

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({ body: { ok: false, error, ...extra } });
export const ok = (body: Record<string, unknown>, scopes?: readonly string[]): ApiResult => ({ body: { ok: true, ...body }, scopes });
