import type { WebSocket } from 'ws';
import type { Protocol } from '../ground-truth';
import type { TimerHandle } from '../scheduler';

/**
 * One server-side socket. Kept deliberately small: ten thousand of these must fit comfortably,
 * so there is one timer slot (the next lifecycle step) and plain numbers for the write bucket.
 */
export class Session {
  helloAt = 0;
  /** The network eats everything: no frames out, nothing read, TCP left open. */
  blackHoled = false;
  /** Set once the server decided to end it now (disconnect sent, fault applied): nothing more is routed here. */
  ending = false;
  /** RTM `goodbye` sent: the server will close it soon, and routes events here until then. */
  saidGoodbye = false;
  /** Next lifecycle step (hello delay, warning, refresh, goodbye, close). */
  timer: TimerHandle | undefined;
  /** RTM write bucket */
  writeTokens = 0;
  writeAt = 0;
  strikes = 0;
  /** Who ended the socket and why, recorded when the close lands. */
  endBy: 'client' | 'server' | 'fault' = 'client';
  endReason = '';

  constructor(
    readonly id: number,
    readonly protocol: Protocol,
    /** team id (RTM) or app id (Socket Mode) */
    readonly key: string,
    readonly token: string,
    readonly ws: WebSocket,
    readonly openedAt: number,
    /** Socket Mode lifetime (ms) announced in hello */
    readonly lifetimeMs: number,
  ) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Sends unless the socket is black-holed or gone. */
  send(frame: Record<string, unknown>): boolean {
    if (this.blackHoled || !this.open) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Close handshake from the server; nothing leaves a black-holed socket. */
  close(code: number, reason?: string): void {
    if (!this.blackHoled && this.open) this.ws.close(code, reason);
  }

  /** Drops TCP without a close frame (the client sees 1006). */
  drop(): void {
    if (!this.blackHoled) this.ws.terminate();
  }

  markEnding(by: 'server' | 'fault', reason: string): void {
    this.ending = true;
    this.endBy = by;
    this.endReason = reason;
  }

  markGoodbye(by: 'server' | 'fault', reason: string): void {
    this.saidGoodbye = true;
    this.endBy = by;
    this.endReason = reason;
  }
}
