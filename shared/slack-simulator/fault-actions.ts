import type { SimContext } from './context';
import type { FaultScope } from './faults';
import { goodbye } from './sockets/rtm-session';
import type { SocketSelector } from './sockets/hub';
import { sendDisconnect, type DisconnectReason } from './sockets/socket-mode-session';

export interface RateLimitFault {
  /** Only this method (default: any). */
  method?: string;
  /** Only this team or app id (default: any). */
  key?: string;
  count?: number;
  retryAfterSeconds?: number;
}

/**
 * Faults on demand (issue 3). Socket faults act on live sockets now and return how many they hit;
 * connect faults arm for the next matching connects.
 */
export class FaultActions {
  constructor(private readonly ctx: SimContext, private readonly restartFn: (downMs: number) => Promise<void>) {}

  /** Drops TCP without a close frame: the client sees 1006. */
  kill(sel: SocketSelector = {}): number {
    return this.each(sel, (s) => {
      s.markEnding('fault', 'kill');
      s.ws.terminate();
    });
  }

  /** Server-initiated close handshake with this code. */
  close(sel: SocketSelector = {}, code = 1000, reason = ''): number {
    return this.each(sel, (s) => {
      s.markEnding('fault', `close:${code}`);
      s.close(code, reason);
    });
  }

  /**
   * The network starts eating everything both ways: no frames, no pongs, no FIN. The server keeps
   * counting the socket (it still holds a Socket Mode slot) until it gives up after `releaseAfterMs`.
   */
  blackHole(sel: SocketSelector = {}, releaseAfterMs = 60_000): number {
    return this.each(sel, (s) => {
      if (s.blackHoled) return;
      s.blackHoled = true;
      // Not marked as ending: Slack does not know, so it still routes envelopes here (and loses them).
      s.endBy = 'fault';
      s.endReason = 'black_hole';
      s.ws.pause();
      this.ctx.scheduler.cancel(s.timer);
      s.timer = this.ctx.scheduler.after(releaseAfterMs, () => s.ws.terminate());
    });
  }

  /** Socket Mode `disconnect` with a reason (`warning` leaves the socket open). */
  disconnect(sel: SocketSelector = {}, reason: DisconnectReason = 'refresh_requested'): number {
    return this.each({ ...sel, protocol: 'socket_mode' }, (s) => sendDisconnect(this.ctx, s, reason, 'fault'));
  }

  /** RTM `goodbye`, then the server closes after `rtm.goodbyeCloseDelayMs`. */
  goodbye(sel: SocketSelector = {}): number {
    return this.each({ ...sel, protocol: 'rtm' }, (s) => goodbye(this.ctx, s, 'fault', 'fault'));
  }

  /** RTM `team_migration_started`: the node client closes and reconnects when it sees it. */
  teamMigration(sel: SocketSelector = {}): number {
    return this.each({ ...sel, protocol: 'rtm' }, (s) => s.send({ type: 'team_migration_started' }));
  }

  /** Switching Socket Mode off in the app settings: `link_disabled` on every socket, and on later connects. */
  disableSocketMode(appId: string): number {
    this.ctx.registry.requireApp(appId).socketMode = false;
    return this.each({ appId, protocol: 'socket_mode' }, (s) => sendDisconnect(this.ctx, s, 'link_disabled', 'fault'));
  }

  enableSocketMode(appId: string): void {
    this.ctx.registry.requireApp(appId).socketMode = true;
  }

  refuseUpgrades(scope: FaultScope = {}, status = 408): void {
    this.ctx.faults.refuseUpgrades(scope, status);
  }

  withholdHello(scope: FaultScope = {}): void {
    this.ctx.faults.withholdHello(scope);
  }

  delayHello(delayMs: number, scope: FaultScope = {}): void {
    this.ctx.faults.delayHello(delayMs, scope);
  }

  /** The next `count` matching Web API calls get HTTP 429 + Retry-After. */
  rateLimit(f: RateLimitFault = {}): void {
    this.ctx.rateLimiter.force(f.count ?? 1, f.retryAfterSeconds ?? 1, f.method, f.key);
  }

  /** Every socket drops (1006), the listener goes away for `downMs` (connection refused), then returns on the same port. */
  restart(downMs = 0): Promise<void> {
    return this.restartFn(downMs);
  }

  clear(): void {
    this.ctx.faults.clear();
  }

  private each(sel: SocketSelector, fn: (s: ReturnType<SimContext['sockets']['select']>[number]) => void): number {
    const hit = this.ctx.sockets.select(sel);
    for (const s of hit) fn(s);
    return hit.length;
  }
}
