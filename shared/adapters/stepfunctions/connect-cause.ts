/**
 * The `cause` of a failed connect task: what the worker saw, so the workflow's catch can apply
 * the same CONNECT_FAILED the worker would have. JSON, because Step Functions carries the cause
 * as one string: `{"error":"ratelimited","retryAfterMs":2000,"tokenVersion":3}`. A cause that
 * is not this JSON (a hand-written SendTaskFailure, an unexpected failure) is read as the error.
 */
export interface ConnectCause {
  /** The Slack error or reason string (`invalid_auth`, `http_408`, `hello_timeout`, ...). */
  error: string;
  retryAfterMs?: number;
  /** The token version the attempt used: a failure of a replaced token must not park the link. */
  tokenVersion?: number;
}

export function encodeConnectCause(cause: ConnectCause): string {
  return JSON.stringify(cause);
}

export function decodeConnectCause(raw: unknown, fallback: string): ConnectCause {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: fallback };
  try {
    const parsed = JSON.parse(raw) as Partial<ConnectCause> | null;
    if (typeof parsed?.error === 'string' && parsed.error !== '') {
      return {
        error: parsed.error,
        ...(typeof parsed.retryAfterMs === 'number' ? { retryAfterMs: parsed.retryAfterMs } : {}),
        ...(typeof parsed.tokenVersion === 'number' ? { tokenVersion: parsed.tokenVersion } : {}),
      };
    }
  } catch {
    // not JSON: the whole string is the error
  }
  return { error: raw.trim() };
}
