import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpHandler, HttpRequest } from './types';

export interface HttpServerOptions {
  /** Larger bodies are refused with 413 before they are read further. Default 1 MiB (Slack events are small). */
  maxBodyBytes?: number;
  /** Requests that do not start with this prefix go here instead (a status page, later). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * The embedded mode's adapter: serves a handler on `node:http`. The caller listens (`server.listen`)
 * and may mount other routes through `fallback`. The raw body reaches the handler byte for byte.
 */
export function createHttpServer(handler: HttpHandler, options: HttpServerOptions = {}): Server {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.fallback && !url.pathname.startsWith('/slack/')) {
      options.fallback(req, res);
      return;
    }
    void serve(handler, req, res, url, maxBody);
  });
}

async function serve(handler: HttpHandler, req: IncomingMessage, res: ServerResponse, url: URL, maxBody: number): Promise<void> {
  let body: string;
  try {
    body = await readBody(req, maxBody);
  } catch {
    res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('request too large');
    return;
  }
  const request: HttpRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: headersOf(req), body };
  const response = await handler(request);
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  return out;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop keeping bytes but drain the rest, so the 413 can still be written on this socket.
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The embedded mode's `answerWithinMs`: well inside Slack's 3 s, with room for the HTTP round trip. */
export const EMBEDDED_ANSWER_WITHIN_MS = 2_000;
