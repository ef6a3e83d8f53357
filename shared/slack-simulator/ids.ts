import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Identifiers shaped like Slack's (prefix letter plus upper-case alphanumerics; tokens with the
 * real family prefixes) so code that checks prefixes (`xoxb-`, `xapp-`, `T…`, `A…`) behaves as in
 * production. A per-process counter keeps them unique; a random tail keeps tokens unguessable.
 */
let counter = 0;

function serial(width: number): string {
  counter += 1;
  return counter.toString(36).toUpperCase().padStart(width, '0');
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => (b % 10).toString()).join('');
}

function alnum(n: number): string {
  return randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);
}

export const newId = (prefix: 'T' | 'E' | 'A' | 'U' | 'B' | 'W' | 'C' | 'V'): string => `${prefix}0${serial(8)}`;
export const newEventId = (): string => `Ev0${serial(8)}`;
export const newEnvelopeId = (): string => randomUUID();
export const newReqId = (): string => alnum(16);
export const newTicket = (): string => randomUUID();

export const newBotToken = (): string => `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`;
export const newUserToken = (): string => `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${alnum(32)}`;
export const newAppToken = (appId: string): string => `xapp-1-${appId}-${digits(13)}-${alnum(64)}`;
/** Rotating access tokens wear the `xoxe.` prefix, refresh tokens `xoxe-1-` (SLACK-PROTOCOL §3.0). */
export const newRotatingToken = (kind: 'bot' | 'user'): string =>
  `xoxe.${kind === 'bot' ? newBotToken() : newUserToken()}`;
export const newRefreshToken = (): string => `xoxe-1-${alnum(120)}`;
export const newClientId = (): string => `${digits(12)}.${digits(13)}`;
export const newSecret = (): string => randomBytes(16).toString('hex');
export const newCode = (): string => `${digits(12)}.${digits(13)}.${alnum(64)}`;
/** One id per payload sent to a Request URL (all its attempts share it). */
export const newDeliveryId = (): string => `Hd0${serial(8)}`;
