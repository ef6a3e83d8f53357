import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket, { type RawData } from 'ws';
import type { LinkProtocol } from '../../../shared/domain';
import { parseFrame, readRtmFrame, readSocketModeFrame, type FrameMeaning } from './frames';
import { livenessVerdict, resolveLiveness } from './liveness';
import {
  ConnectError,
  type Clock, type CloseCause, type ConnectionHandlers, type HelloInfo, type LivenessOptions,
  type OpenSlackConnectionOptions, type SlackConnection, type Tickable, type Ticker,
} from './types';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
/** onClose delivered (or the connect failed); only the socket's own 'close' may still come. */
const DONE = 3;
type Phase = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof DONE;

const monotonic: Clock = { now: () => performance.now() };
const noop = (): void => undefined;
const OWNER = Symbol('slackConnection');
type OwnedSocket = WebSocket & { [OWNER]: SlackConnectionImpl };

/** Opens one Slack socket. Nothing is reported synchronously: handlers run from socket and ticker callbacks. */
export function openSlackConnection(options: OpenSlackConnectionOptions): SlackConnection {
  return new SlackConnectionImpl(options);
}

/**
 * One socket, kept small for thousands per process: a phase, four timestamps, a ping counter and
 * the socket. Listeners are shared module functions that find their connection on the socket, so
 * a connection allocates no closures of its own.
 */
class SlackConnectionImpl implements SlackConnection, Tickable {
  readonly protocol: LinkProtocol;
  readonly opened: Promise<HelloInfo>;
  private phase: Phase = CONNECTING;
  private readonly ws: OwnedSocket;
  private readonly handlers: ConnectionHandlers;
  private readonly liveness: LivenessOptions;
  private readonly ticker: Ticker;
  private readonly clock: Clock;
  private readonly startedAt: number;
  lastRxAt: number;
  lastPingAt: number;
  lastServerPingAt: number;
  private pingSeq = 0;
  private closeDeadline = Infinity;
  private closeReason = '';
  private settleOpened: { resolve: (info: HelloInfo) => void; reject: (err: ConnectError) => void } | undefined;
  private gone: Promise<void> | undefined;
  private markGone: (() => void) | undefined;

  constructor(o: OpenSlackConnectionOptions) {
    this.protocol = o.protocol;
    this.handlers = o.handlers;
    this.liveness = resolveLiveness(o.liveness);
    this.ticker = o.ticker;
    this.clock = o.clock ?? monotonic;
    this.startedAt = this.clock.now();
    this.lastRxAt = this.startedAt;
    this.lastPingAt = this.startedAt;
    this.lastServerPingAt = this.startedAt;
    this.opened = new Promise<HelloInfo>((resolve, reject) => {
      this.settleOpened = { resolve, reject };
    });
    // Callers learn of a failed connect from `opened`; one nobody awaits must not crash the process.
    this.opened.catch(noop);
    // No compression: it costs tens of KB per socket, and Slack frames are small.
    const ws = new WebSocket(o.url, { perMessageDeflate: false, followRedirects: false }) as OwnedSocket;
    ws[OWNER] = this;
    ws.on('message', onMessage);
    ws.on('ping', onPing);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onSocketClose);
    ws.on('unexpected-response', onUnexpectedResponse);
    this.ws = ws;
    this.ticker.add(this);
  }

  get isOpen(): boolean {
    return this.phase === OPEN;
  }

  ack(envelopeId: string, payload?: unknown): boolean {
    // After our close frame nothing may be sent; Slack redelivers what we could not ack.
    if (this.phase !== OPEN || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(payload === undefined ? { envelope_id: envelopeId } : { envelope_id: envelopeId, payload }));
    return true;
  }

  close(reason: string): Promise<void> {
    if (this.phase === CONNECTING) {
      this.fail('aborted');
    } else if (this.phase === OPEN) {
      this.phase = CLOSING;
      this.closeReason = reason;
      this.closeDeadline = this.clock.now() + this.liveness.closeTimeoutMs;
      this.ws.close(1000);
    }
    return this.whenGone();
  }

  tick(stalled: boolean): void {
    const now = this.clock.now();
    if (this.phase === CONNECTING) {
      if (!stalled && now - this.startedAt >= this.liveness.helloTimeoutMs) this.fail('hello_timeout');
    } else if (this.phase === OPEN) {
      this.checkLiveness(now, stalled);
    } else if (this.phase === CLOSING && now >= this.closeDeadline) {
      // The peer never finished the handshake (black-holed, or Slack left TCP open): drop it.
      this.closeDeadline = Infinity;
      this.ws.terminate();
    }
  }

  private checkLiveness(now: number, stalled: boolean): void {
    const verdict = livenessVerdict(this, now, this.liveness, this.protocol === 'socket');
    if (verdict === 'ping') {
      this.lastPingAt = now;
      // RTM: Slack's app-level ping (SLACK-PROTOCOL §1.4). Socket Mode: a WebSocket ping frame.
      if (this.protocol === 'rtm') this.ws.send(`{"id":${++this.pingSeq},"type":"ping"}`);
      else this.ws.ping();
    } else if (verdict !== 'ok' && !stalled) {
      const server = verdict === 'no_server_ping';
      this.ws.terminate();
      this.finish({ kind: 'dead', silentForMs: now - (server ? this.lastServerPingAt : this.lastRxAt), watchdog: server ? 'server_ping' : 'silence' });
    }
  }

  received(isServerPing: boolean): void {
    const now = this.clock.now();
    this.lastRxAt = now;
    if (isServerPing) this.lastServerPingAt = now;
  }

  frame(text: string): void {
    if (this.phase === DONE) return;
    const f = parseFrame(text);
    if (!f) return;
    const meaning = this.protocol === 'rtm' ? readRtmFrame(f) : readSocketModeFrame(f);
    if (this.phase === CONNECTING) this.beforeHello(meaning);
    else this.afterHello(meaning);
  }

  private beforeHello(m: FrameMeaning): void {
    if (m.is === 'hello') {
      this.phase = OPEN;
      const now = this.clock.now();
      // Liveness and the server-ping watchdog count from hello, not from the TCP connect.
      this.lastRxAt = now;
      this.lastPingAt = now;
      this.lastServerPingAt = now;
      const settle = this.settleOpened;
      this.settleOpened = undefined;
      settle?.resolve(m.info);
    } else if (m.is === 'error') {
      this.fail(m.error);
    } else if (m.is === 'notice' || m.is === 'refresh') {
      // Socket Mode answers link_disabled / too_many_websockets instead of hello.
      this.fail(m.reason);
    }
  }

  private afterHello(m: FrameMeaning): void {
    // CLOSING still delivers: envelopes on a retiring socket are handled until it is gone.
    switch (m.is) {
      case 'event': return this.handlers.onEvent(m.event);
      case 'refresh': return this.handlers.onRefresh(m.reason);
      case 'notice': return this.handlers.onDisconnectNotice(m.reason);
      case 'error': return this.handlers.onEvent({ kind: 'error', payload: m.frame });
      default: return undefined;
    }
  }

  /** The connect failed: destroy the socket, reject `opened`; `onClose` is never called. */
  fail(error: string, cause?: unknown): void {
    if (this.phase !== CONNECTING) return;
    this.phase = DONE;
    this.ticker.remove(this);
    this.ws.terminate();
    const settle = this.settleOpened;
    this.settleOpened = undefined;
    settle?.reject(new ConnectError(error, cause === undefined ? undefined : { cause }));
  }

  /** The socket's own 'close': a peer close or TCP loss while open, or the end of our close. */
  socketClosed(code: number, reason: string): void {
    if (this.phase === CONNECTING) this.fail(`close_${code}`);
    else if (this.phase === OPEN) this.finish({ kind: 'closed', code, reason });
    else if (this.phase === CLOSING) this.finish({ kind: 'local', reason: this.closeReason });
    this.markGone?.();
  }

  private finish(cause: CloseCause): void {
    this.phase = DONE;
    this.ticker.remove(this);
    this.handlers.onClose(cause);
  }

  private whenGone(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.gone ??= new Promise<void>((resolve) => {
      this.markGone = resolve;
    });
    return this.gone;
  }
}

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  const c = (this as OwnedSocket)[OWNER];
  c.received(false);
  if (!isBinary) c.frame(data.toString());
}

function onPing(this: WebSocket): void {
  (this as OwnedSocket)[OWNER].received(true);
}

function onPong(this: WebSocket): void {
  (this as OwnedSocket)[OWNER].received(false);
}

function onError(this: WebSocket, err: Error & { code?: string }): void {
  // Before hello this is why the connect failed; after, the 'close' that follows tells the story.
  (this as OwnedSocket)[OWNER].fail(typeof err.code === 'string' && err.code !== '' ? err.code : 'ws_error', err);
}

function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
  (this as OwnedSocket)[OWNER].socketClosed(code, reason.toString());
}

function onUnexpectedResponse(this: WebSocket, _req: ClientRequest, res: IncomingMessage): void {
  // Listening here stops ws from turning the refusal into a generic error; fail() aborts the request.
  res.resume();
  (this as OwnedSocket)[OWNER].fail(`http_${res.statusCode ?? 0}`);
}
