import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createLimitedServer, readBodyOrRefuse, type BodyReadOptions, type HttpLimits, type HttpLimitStats } from '../../shared/http';
import type { Logger } from '../../shared/ports';
import type { HttpHandler, HttpRequest } from './types';

export interface HttpServerOptions {
  /** Larger bodies are refused with 413 before they are read further. Default 1 MiB (Slack events are small). Same as `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /** Header and body deadlines, body size, connection cap (`shared/http/limits.ts` has the defaults). */
  limits?: Partial<HttpLimits>;
  /** Where refused bodies, timeouts and evictions are counted. */
  stats?: HttpLimitStats;
  /** Refusals are logged at debug. */
  log?: Pick<Logger, 'debug'>;
  /** Requests that do not start with this prefix go here instead (a status page, later). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The embedded mode's adapter: serves a handler on `node:http`, with the limits every Lifeline
 * listener has (`shared/http`). The caller listens (`server.listen`) and may mount other routes
 * through `fallback`. The raw body reaches the handler byte for byte.
 */
export function createHttpServer(handler: HttpHandler, options: HttpServerOptions = {}): Server {
  const limits = { ...options.limits, ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }) };
  const counted = { ...(options.stats ? { stats: options.stats } : {}), ...(options.log ? { log: options.log } : {}) };
  const read: BodyReadOptions = { limits, ...counted };
  return createLimitedServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.fallback && !url.pathname.startsWith('/slack/')) {
      options.fallback(req, res);
      return;
    }
    void serveHttpRequest(handler, req, res, url, read);
  }, { limits, ...counted });
}

/**
 * The adapter's work for one request: the body read within the limits (a refused one is answered
 * there), the handler called, its answer written. A server that mounts `/slack/*` among its own
 * routes (`npm start`'s) calls this, so both serve the endpoints the same way.
 */
export async function serveHttpRequest(handler: HttpHandler, req: IncomingMessage, res: ServerResponse, url: URL, read: BodyReadOptions): Promise<void> {
  const body = await readBodyOrRefuse(req, res, read);
  if (body === undefined) return;
  const request: HttpRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: headersOf(req), body };
  const response = await handler(request);
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

/** Lower-case names; a repeated `cookie` joined with `; `, any other repeated header with `, `. */
function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  return out;
}

/** The embedded mode's `answerWithinMs`: well inside Slack's 3 s, with room for the HTTP round trip. */
export const EMBEDDED_ANSWER_WITHIN_MS = 2_000;
