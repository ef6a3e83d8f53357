import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { OPERATOR_REQUEST_HEADER } from '../../../shared/app';
import { crossSiteRefusal, LOOPBACK_HOSTS } from '../../../shared/http';

/** The parts of a request the operator surface judges. */
export interface OperatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export type AccessVerdict =
  | { ok: true; via: 'bearer' | 'cookie' }
  /** `GET /?token=<token>`: the printed URL. Answered by setting the cookie and going to the clean URL. */
  | { ok: true; via: 'link'; setCookie: string }
  | { ok: false; status: 401 | 403 | 415; reason: AccessRefusal; message: string };

export type AccessRefusal = 'host_not_allowed' | 'unauthorized' | 'origin_not_allowed' | 'origin_missing' | 'not_json';

export interface OperatorAccessOptions {
  token: string;
  /** The operator server's port, once it listens. */
  port(): number;
  /** Host names allowed besides localhost, 127.0.0.1 and [::1] (`LIFELINE_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
/** Equal-length digests, so neither the length nor a common prefix of a guess shows in the timing. */
const sameToken = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function cookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * Who may use the operator surface (`/`, `/status.json`, `/events/stream`, `/api/*`), decided in
 * one place and in this order:
 * 1. `Host` is one of ours, so a DNS-rebound name (evil.example resolving to 127.0.0.1) is refused
 *    before anything else, credential or not; and an `Origin`, when present, is this very server
 *    (another site, or another app on another localhost port, is refused even though SameSite
 *    would let the cookie through for the latter). Both as the simulator's admin routes check
 *    them (`crossSiteRefusal`, shared/http);
 * 2. a credential: `Authorization: Bearer <token>` (CLI, scripts), the cookie the printed link set
 *    (the page and its EventSource), or the printed link itself (`GET /?token=`);
 * 3. a state-changing request is not a plain form post: it carries the bearer header (which a
 *    browser may not send cross-origin without a preflight we never grant) or is JSON / carries
 *    `X-Lifeline-Operator`, and without an `Origin` only a bearer request (not a browser) passes.
 */
export function makeOperatorAccess(options: OperatorAccessOptions) {
  const allowedHosts = [...LOOPBACK_HOSTS, ...(options.allowedHosts ?? []).map((host) => host.trim().toLowerCase()).filter(Boolean)];
  const cookieName = (): string => `lifeline_operator_${options.port()}`;
  const refuse = (status: 401 | 403 | 415, reason: AccessRefusal, message: string): AccessVerdict => ({ ok: false, status, reason, message });

  function check(req: OperatorRequest): AccessVerdict {
    // Only the headers and the method are read: an OperatorRequest carries both.
    const crossSite = crossSiteRefusal({ headers: req.headers, method: req.method } as IncomingMessage, { allowedHosts });
    if (crossSite?.error === 'host_not_allowed') {
      return refuse(403, 'host_not_allowed', 'This host name is not one Lifeline answers to. Use http://localhost:<PORT>, or add the name to LIFELINE_ALLOWED_HOSTS.');
    }
    if (crossSite) return refuse(403, 'origin_not_allowed', 'Requests from other sites are refused.');
    const origin = single(req.headers.origin);
    const authorization = single(req.headers.authorization);
    let via: 'bearer' | 'cookie' | 'link' | undefined;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (bearer !== undefined && sameToken(bearer, options.token)) via = 'bearer';
    } else {
      const fromCookie = cookie(req.headers, cookieName());
      const fromLink = req.method === 'GET' && req.path === '/' ? req.query.get('token') : null;
      if (fromLink !== null && sameToken(fromLink, options.token)) via = 'link';
      else if (fromCookie !== undefined && sameToken(fromCookie, options.token)) via = 'cookie';
    }
    if (!via) {
      return refuse(401, 'unauthorized', "The operator token is missing or is not this run's. Open the URL `npm start` printed (it carries ?token=), or send Authorization: Bearer <the operator-token file in Lifeline's data directory>.");
    }
    if (!SAFE_METHODS.has(req.method) && via !== 'bearer') {
      const type = single(req.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json' && req.headers[OPERATOR_REQUEST_HEADER] === undefined) {
        return refuse(415, 'not_json', `State-changing requests must be JSON (Content-Type: application/json) or carry ${OPERATOR_REQUEST_HEADER}.`);
      }
      if (origin === undefined) return refuse(403, 'origin_missing', 'A browser request that changes state must carry an Origin; scripts use the bearer header.');
    }
    if (via === 'link') {
      return { ok: true, via, setCookie: `${cookieName()}=${options.token}; Path=/; HttpOnly; SameSite=Strict` };
    }
    return { ok: true, via };
  }

  return { check, cookieName };
}

export type OperatorAccess = ReturnType<typeof makeOperatorAccess>;
