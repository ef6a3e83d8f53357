import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLimitedServer, type HttpLimits, type HttpLimitStats } from '../../shared/http';
import type { Logger } from '../../shared/ports';
import { listenOn } from './port-check';
import type { RouteHook } from './status/server';

export interface SlackListener {
  url: string;
  close(): Promise<void>;
}

/**
 * `/slack/*` (OAuth, Events, commands, interactivity) on a listener of its own, apart from the operator's. This is the
 * port a tunnel exposes for Slack: it serves nothing else (every other path is 404), so what
 * reaches it from the Internet cannot reach the status page or the operator API, whatever Host it
 * names; and a flood on it cannot take the operator's connections. Its callers are checked by what
 * Slack gives them (a signature, the OAuth state), not by Host or a token. Header and body
 * deadlines and the connection cap (`shared/http`) bound what slow clients can hold here.
 */
export async function startSlackListener(options: { port: number; host?: string; route: RouteHook; log: Logger; limits?: Partial<HttpLimits>; stats?: HttpLimitStats }): Promise<SlackListener> {
  const server: Server = createLimitedServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answered = url.pathname.startsWith('/slack/') ? options.route(req, res, url) : Promise.resolve(false);
    answered.then(
      (handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      },
      (error: unknown) => {
        options.log.error('slack request failed', { path: url.pathname, error });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end();
      },
    );
  }, { ...(options.limits ? { limits: options.limits } : {}), ...(options.stats ? { stats: options.stats } : {}), log: options.log });
  // Its default (PORT + 1) is new: say which key picks another when it is taken.
  await listenOn(server, { key: 'LIFELINE_SLACK_PORT', port: options.port, what: "the Slack endpoints' listener; default PORT + 1" }, options.host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
