import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HttpDeps, SlackAppConfig } from '../http/deps';
import { makeHandler } from '../http/handler';
import { EMBEDDED_ANSWER_WITHIN_MS } from '../http/node-server';
import type { HttpRequest } from '../http/types';
import type { RouteHook } from './status/server';

const MAX_BODY = 1024 * 1024;

/** The app whose installs `/slack/*` takes, as the embedded mode knows it before the server listens. */
export type EmbeddedSlackApp = Omit<SlackAppConfig, 'redirectUri' | 'stateSecret'> & { redirectUri?: string };

/**
 * Mounts the OAuth and Events handler (`functions/http`) on the embedded server. The redirect
 * URI is this server's own unless configured; the state secret is fresh per run, since a state
 * lives only minutes.
 */
export function slackRoutes(app: EmbeddedSlackApp, deps: Omit<HttpDeps, 'config' | 'answerWithinMs'>, baseUrl: () => string): RouteHook {
  let handler: ReturnType<typeof makeHandler> | undefined;
  const stateSecret = randomBytes(32).toString('base64url');
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/slack/')) return false;
    handler ??= makeHandler({ ...deps, answerWithinMs: EMBEDDED_ANSWER_WITHIN_MS, config: { ...app, stateSecret, redirectUri: app.redirectUri ?? `${baseUrl()}/slack/oauth_redirect` } });
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('request too large');
      return true;
    }
    const headers: HttpRequest['headers'] = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
    const response = await handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body });
    res.writeHead(response.status, response.headers);
    res.end(req.method === 'HEAD' ? undefined : response.body);
    return true;
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
