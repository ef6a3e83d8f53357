import type { IncomingMessage } from 'node:http';

/** The names a local listener answers to by default: anything else in `Host` is DNS rebinding or a misroute. */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['localhost', '127.0.0.1', '[::1]']);

export type CrossSiteRefusal =
  | { status: 403; error: 'host_not_allowed' | 'origin_not_allowed'; detail: string }
  | { status: 415; error: 'json_required'; detail: string };

/** `host[:port]` as a browser sends it, lower case; undefined if it is not a bare host (a path, a user, junk). */
function parseHost(value: string): { host: string; hostname: string } | undefined {
  const lower = value.trim().toLowerCase();
  try {
    const url = new URL(`http://${lower}`);
    // `host` normalises away a default port; anything beyond host and port makes it differ.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    if (url.host !== lower && `${url.host}:80` !== lower) return undefined;
    return { host: url.host, hostname: url.hostname };
  } catch {
    return undefined;
  }
}

/**
 * Why a request must be refused as possibly cross-site, or undefined if it may go on:
 * - `Host` must name an allowed host (a rebinding DNS name pointing at 127.0.0.1 does not);
 * - a present `Origin` must be this very server (`http://<Host>`): a page elsewhere, even on
 *   another local port, or a sandboxed one (`null`), is refused;
 * - with `requireJson`, a `POST` must say `Content-Type: application/json`, which a form or a
 *   "simple" `fetch` cannot send without a CORS preflight that this server never grants.
 */
export function crossSiteRefusal(req: IncomingMessage, options: { allowedHosts: readonly string[]; requireJson?: boolean }): CrossSiteRefusal | undefined {
  const host = parseHost(req.headers.host ?? '');
  const allowed = new Set(options.allowedHosts.map((name) => name.toLowerCase()));
  if (!host || !allowed.has(host.hostname)) {
    return { status: 403, error: 'host_not_allowed', detail: `Host ${JSON.stringify(req.headers.host ?? '')} is not one of ${[...allowed].join(', ')}` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host.host}`) {
    return { status: 403, error: 'origin_not_allowed', detail: `Origin ${JSON.stringify(origin)} is not this server (http://${host.host})` };
  }
  if (options.requireJson && req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, error: 'json_required', detail: `Content-Type must be application/json, got ${JSON.stringify(type)}` };
  }
  return undefined;
}
