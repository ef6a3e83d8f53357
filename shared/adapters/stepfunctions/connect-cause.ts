import type { ConnectCause } from '../../ports';

export type { ConnectCause };

/**
 * The `cause` of a failed connect task (the port's `ConnectCause`) as Step Functions carries it:
 * one string, so JSON: `{"error":"ratelimited","retryAfterMs":2000,"tokenVersion":3}`. A cause
 * that is not this JSON (a hand-written SendTaskFailure, an unexpected failure) is read as the error.
 */
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
