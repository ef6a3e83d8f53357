import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimContext } from '../context';
import type { ConnectOutcome, Protocol } from '../ground-truth';
import { startRtmSession } from './rtm-session';
import { Session } from './session';
import { startSocketModeSession } from './socket-mode-session';
import type { Ticket } from './tickets';

const EXPIRED_FRAME = JSON.stringify({ type: 'error', error: { code: 1, msg: 'Socket URL has expired' } });

/**
 * WebSocket upgrades for both protocols: `/websocket/<ticket>` (RTM) and
 * `/link/?ticket=…&app_id=…` (Socket Mode), with the upgrade-time faults.
 */
export class UpgradeHandler {
  private readonly rtm: WebSocketServer;
  private readonly sm: WebSocketServer;

  constructor(private readonly ctx: SimContext) {
    // No compression and no client tracking: both cost memory per socket and Slack needs neither here.
    const common = { noServer: true, clientTracking: false, perMessageDeflate: false } as const;
    this.rtm = new WebSocketServer({ ...common, maxPayload: ctx.options.rtm.maxFrameBytes });
    this.sm = new WebSocketServer({ ...common });
  }

  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://sim');
    const route = this.route(url);
    if (!route) return refuse(socket, 404);
    const { protocol, ticketId } = route;
    const key = this.ctx.tickets.peek(ticketId)?.key;
    const status = this.ctx.faults.takeUpgradeRefusal(protocol, key);
    if (status !== undefined) {
      this.record(protocol, key ?? '', 'refused');
      return refuse(socket, status);
    }
    const check = this.ctx.tickets.redeem(ticketId, protocol);
    if (protocol === 'socket_mode' && !check.ok) {
      // Socket Mode ticket reuse: Slack's answer is unverified; we refuse the upgrade.
      this.record(protocol, key ?? '', 'bad_ticket');
      return refuse(socket, 401);
    }
    const server = protocol === 'rtm' ? this.rtm : this.sm;
    server.handleUpgrade(req, socket, head, (ws) => {
      if (!check.ok) return this.expired(ws, key ?? '', check.why);
      this.accept(ws, protocol, check.ticket, url.searchParams.get('debug_reconnects') === 'true');
    });
  }

  private route(url: URL): { protocol: Protocol; ticketId: string } | undefined {
    const rtm = /^\/websocket\/([^/]+)$/.exec(url.pathname);
    if (rtm) return { protocol: 'rtm', ticketId: decodeURIComponent(rtm[1]!) };
    if (/^\/link\/?$/.test(url.pathname)) return { protocol: 'socket_mode', ticketId: url.searchParams.get('ticket') ?? '' };
    return undefined;
  }

  /** A stale or reused RTM URL: Slack sends an error frame, then closes (SLACK-PROTOCOL §1.4). */
  private expired(ws: WebSocket, key: string, why: 'unknown' | 'used' | 'expired'): void {
    this.record('rtm', key, why === 'unknown' ? 'bad_ticket' : 'expired_url');
    ws.on('error', () => undefined);
    ws.send(EXPIRED_FRAME);
    ws.close(1000);
  }

  private accept(ws: WebSocket, protocol: Protocol, ticket: Ticket, debugReconnects: boolean): void {
    const { ctx } = this;
    const sm = ctx.options.socketMode;
    const lifetime = debugReconnects ? sm.debugLifetimeMs : sm.lifetimeMs;
    const session = new Session(ctx.sockets.newId(), protocol, ticket.key, ticket.token, ws, ctx.clock.now(), lifetime);
    // A token disabled between the URL and the connect: the socket opens and closes at once.
    if (ctx.registry.token(ticket.token)?.status !== 'active') {
      this.record(protocol, ticket.key, 'token_inactive');
      ctx.tickets.settle(ticket);
      ws.on('error', () => undefined);
      ws.close(1000);
      return;
    }
    if (protocol === 'rtm') startRtmSession(ctx, session, ticket);
    else startSocketModeSession(ctx, session, ticket);
  }

  private record(protocol: Protocol, key: string, outcome: ConnectOutcome): void {
    this.ctx.truth.record(this.ctx.truth.socketConnects, { at: this.ctx.clock.now(), protocol, key, outcome });
  }

  close(): void {
    this.rtm.close();
    this.sm.close();
  }
}

/** Answers the upgrade request with a plain HTTP status and hangs up, as a proxy would. */
function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    () => socket.destroy());
}
