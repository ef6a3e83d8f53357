import type { HttpDeps } from './deps';
import { verifySlackSignature } from './slack-signature';
import { text, type HttpRequest, type HttpResponse } from './types';

/**
 * The check every Slack callback passes before anything of its body is read: `POST`, then the
 * signature over the raw body within the replay window. Undefined: go on; else the refusal.
 */
export function refuseUnsigned(deps: HttpDeps, request: HttpRequest, what: string): HttpResponse | undefined {
  if (request.method !== 'POST') return text(405, 'method not allowed', { allow: 'POST' });
  const verdict = verifySlackSignature(deps.config.signingSecret, request.headers, request.body, deps.clock.now());
  if (verdict.ok) return undefined;
  deps.log.warn(`${what} refused`, { reason: verdict.reason });
  return text(401, 'invalid request signature');
}
