import { SlackApiError } from '../../ports/slack-api';
import type { PostAnswer, SlackPost } from './slack-post';

/** Slack's own default when a 429 carries no usable `Retry-After` (SLACK-PROTOCOL §1.6, §2.1). */
export const DEFAULT_RETRY_AFTER_MS = 30_000;

export interface SlackHttpOptions {
  /** Web API base, ending with `/api/` (`https://slack.com/api/` or the simulator's `apiUrl`). */
  apiUrl: string;
  post: SlackPost;
  timeoutMs: number;
}

/**
 * POSTs one Web API method with a Bearer token and returns the `ok:true` body. Every failure
 * becomes a `SlackApiError` whose `error` the Slack error table can classify, so nothing above
 * this file ever sees a transport's error (Node's, fetch's, undici's or a DOMException).
 */
export async function callSlack(opts: SlackHttpOptions, method: string, token: string): Promise<Record<string, unknown>> {
  // Header only: apps.connections.open refuses a form token (SLACK-PROTOCOL §2.1), and a
  // header keeps tokens out of any access log that records bodies.
  return callSlackWith(opts, method, `Bearer ${token}`, new URLSearchParams());
}

/** The same call with any `Authorization` value (HTTP Basic for `oauth.v2.access`) and a form body. */
export async function callSlackWith(
  opts: SlackHttpOptions,
  method: string,
  authorization: string,
  form: URLSearchParams,
): Promise<Record<string, unknown>> {
  let res: PostAnswer;
  try {
    res = await opts.post(`${opts.apiUrl}${method}`, { authorization, 'content-type': 'application/x-www-form-urlencoded' }, form.toString(), opts.timeoutMs);
  } catch (err) {
    throw new SlackApiError(method, networkErrorCode(err), {}, { cause: err });
  }
  if (res.status === 429) {
    throw new SlackApiError(method, 'ratelimited', { httpStatus: 429, retryAfterMs: parseRetryAfter(res.retryAfter) });
  }
  if (res.status !== 200) throw new SlackApiError(method, `http_${res.status}`, { httpStatus: res.status });
  const body = parseBody(res.text);
  if (!body) throw new SlackApiError(method, 'invalid_response', { httpStatus: res.status });
  if (body.ok !== true) {
    const error = typeof body.error === 'string' && body.error !== '' ? body.error : 'unknown_error';
    throw new SlackApiError(method, error, { httpStatus: res.status });
  }
  return body;
}

/** `Retry-After` in seconds (Slack never sends the HTTP-date form); anything unusable means Slack's default. */
export function parseRetryAfter(header: string | null): number {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return DEFAULT_RETRY_AFTER_MS;
  return Math.round(Number(header) * 1000);
}

/**
 * The Node error code behind a failed call: on the error itself (`node:http`), or, from `fetch`,
 * in undici's `TypeError('fetch failed')` with the socket error (or an AggregateError of one per
 * address) as `cause`.
 */
export function networkErrorCode(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError')) return 'ETIMEDOUT';
  if (err instanceof Error && err.name === 'AbortError') return 'EABORTED';
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur !== undefined && cur !== null; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = (errors[0] as { code?: unknown }).code;
      if (typeof first === 'string' && first !== '') return first;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return 'network_error';
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
