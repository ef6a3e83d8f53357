import { createHmac, timingSafeEqual } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<raw body>` (SLACK-PROTOCOL §4.3). */
export function signSlackRequest(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/** The check a receiver makes; exported so tests verify what the simulator sent the way Bolt would. */
export function verifySlackSignature(signingSecret: string, timestampSeconds: number, rawBody: string,
  signature: string): boolean {
  const expected = Buffer.from(signSlackRequest(signingSecret, timestampSeconds, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
