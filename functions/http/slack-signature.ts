import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window (SLACK-PROTOCOL §4.3): five minutes either way. */
export const REPLAY_WINDOW_S = 300;

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

/** `v0=hex(HMAC-SHA256(signing secret, "v0:<ts>:<raw body>"))`, compared in constant time. */
export function verifySlackSignature(
  signingSecret: string,
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowMs: number,
): SignatureVerdict {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'];
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > REPLAY_WINDOW_S) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  // Lengths are public (always 67 for a real signature); only equal-length buffers can be compared.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
