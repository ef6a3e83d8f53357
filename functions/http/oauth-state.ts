import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The OAuth `state` (SLACK-PROTOCOL §4.4): `<id>.<expires, unix s>.<HMAC-SHA256(secret, "v1.id.expires")>`,
// all base64url. The signature makes it unforgeable and its expiry untamperable without any
// storage; single use is enforced apart, by claiming the id once (see `oauth-redirect-route`).

export const STATE_COOKIE = 'slack-app-oauth-state';
export const STATE_TTL_S = 600;

const SHAPE = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const sign = (secret: string, id: string, expires: string): Buffer =>
  createHmac('sha256', secret).update(`v1.${id}.${expires}`).digest();

export function issueState(secret: string, nowMs: number): string {
  const id = randomBytes(16).toString('base64url');
  const expires = String(Math.floor(nowMs / 1000) + STATE_TTL_S);
  return `${id}.${expires}.${sign(secret, id, expires).toString('base64url')}`;
}

export type StateVerdict = { ok: true; id: string } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Signature before expiry: an attacker learns nothing about a forged state's other fields. */
export function verifyState(secret: string, state: string, nowMs: number): StateVerdict {
  const match = SHAPE.exec(state);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, id, expires, signature] = match as unknown as [string, string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(secret, id, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  if (Number(expires) * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, id };
}

/** Browsers refuse `Secure` cookies over plain http, except that localhost is where embedded mode runs. */
export const isLocalhost = (url: string): boolean => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

export function stateCookie(state: string, secure: boolean): string {
  return `${STATE_COOKIE}=${state}; Path=/; Max-Age=${STATE_TTL_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function clearStateCookie(secure: boolean): string {
  return `${STATE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
