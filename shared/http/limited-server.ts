import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../ports';
import { httpLimits, HttpLimitStats, type HttpLimits } from './limits';

export interface LimitedServerOptions {
  limits?: Partial<HttpLimits>;
  /** Where the counts go; pass one to show them (the status page). */
  stats?: HttpLimitStats;
  log?: Pick<Logger, 'debug'>;
}

interface Connection {
  /** A complete request is being answered (a route is working, or a live feed is open): not evicted. */
  answering: number;
}

const RESPONSES: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * A `node:http` server with the limits applied: Node's header timeout, its whole-request timeout
 * as a backstop (headers + body time: routes enforce the body deadline themselves, see
 * `readBoundedBody`, which answers first and is counted), checked often enough to matter (Node
 * checks every 30 s by default), and a connection cap that evicts the oldest slow client rather
 * than refusing the newcomer (Node's own `maxConnections` would let a thousand slow bodies lock
 * Slack out until they time out).
 */
export function createLimitedServer(listener: RequestListener, options: LimitedServerOptions = {}): Server {
  const limits = httpLimits(options.limits);
  const stats = options.stats ?? new HttpLimitStats();
  const log = options.log;
  const connections = new Map<Socket, Connection>();
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.headersTimeoutMs + limits.bodyTimeoutMs,
      // Node enforces both timeouts only when it checks; a tenth of the header time keeps the overshoot small.
      connectionsCheckingInterval: Math.max(5, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 10))),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const connection = connections.get(req.socket);
      if (connection) {
        // Answering starts once the whole request is in: a client still sending stays evictable.
        let counted = false;
        const start = () => {
          if (counted) return;
          counted = true;
          connection.answering += 1;
        };
        if (req.complete) start();
        else req.once('end', start);
        res.once('close', () => {
          if (counted) connection.answering -= 1;
          counted = true;
        });
      }
      listener(req, res);
    },
  );
  const untrack = stats.trackOpen(() => connections.size);
  server.once('close', untrack);

  server.on('connection', (socket: Socket) => {
    if (connections.size >= limits.maxConnections) {
      const victim = oldestIdle(connections);
      if (!victim) {
        stats.connectionsRefused += 1;
        log?.debug('connection refused: every connection is being answered', { open: connections.size });
        socket.destroy();
        return;
      }
      stats.connectionsEvicted += 1;
      log?.debug('slowest connection closed to make room', { open: connections.size });
      connections.delete(victim);
      victim.destroy();
    }
    connections.set(socket, { answering: 0 });
    socket.once('close', () => connections.delete(socket));
  });

  // Node's own answer to a client error (same bytes), counted; a timeout is logged at debug, not as an error.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      stats.requestsTimedOut += 1;
      log?.debug('request timed out', { headersTimeoutMs: limits.headersTimeoutMs });
    }
    // As Node does: answer only if no response has started on this socket, or the bytes would corrupt it.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) socket.write(RESPONSES[error.code ?? ''] ?? BAD_REQUEST);
    socket.destroy();
  });
  return server;
}

function oldestIdle(connections: Map<Socket, Connection>): Socket | undefined {
  // A Map iterates in insertion order: the first idle one is the oldest.
  for (const [socket, connection] of connections) if (connection.answering === 0) return socket;
  return undefined;
}
