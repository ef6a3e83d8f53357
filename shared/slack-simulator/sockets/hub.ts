import type { Clock } from '../clock';
import type { GroundTruth, Protocol } from '../ground-truth';
import type { Scheduler, TimerHandle } from '../scheduler';
import type { Session } from './session';

/** Picks sockets for faults and admin calls. Empty selector = every socket. */
export interface SocketSelector {
  socketId?: number;
  /** team id (RTM) or app id (Socket Mode) */
  key?: string;
  teamId?: string;
  appId?: string;
  protocol?: Protocol;
  /** Only sockets opened with this token. */
  token?: string;
}

export interface SocketInfo {
  socketId: number;
  protocol: Protocol;
  key: string;
  openedAt: number;
  helloAt: number;
  blackHoled: boolean;
}

/** Every live server socket, indexed by team/app, plus the one shared ping loop. */
export class SocketHub {
  private readonly sessions = new Map<number, Session>();
  private readonly byKey = new Map<string, Set<Session>>();
  private nextId = 1;
  private pingLoops: TimerHandle[] = [];

  constructor(private readonly clock: Clock, private readonly truth: GroundTruth, private readonly scheduler: Scheduler) {}

  newId(): number {
    return this.nextId++;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    let set = this.byKey.get(session.key);
    if (!set) {
      set = new Set();
      this.byKey.set(session.key, set);
    }
    set.add(session);
    this.truth.opened(session.key);
  }

  /** Called once per session when its socket is gone, whoever closed it. */
  remove(session: Session, code: number): void {
    if (!this.sessions.delete(session.id)) return;
    this.scheduler.cancel(session.timer);
    const set = this.byKey.get(session.key);
    set?.delete(session);
    if (set && set.size === 0) this.byKey.delete(session.key);
    this.truth.closed(session.key);
    this.truth.record(this.truth.closes, {
      at: this.clock.now(), socketId: session.id, protocol: session.protocol, key: session.key, code,
      by: session.endBy, reason: session.endReason,
    });
  }

  of(key: string): Session[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  countOf(key: string): number {
    return this.byKey.get(key)?.size ?? 0;
  }

  get(socketId: number): Session | undefined {
    return this.sessions.get(socketId);
  }

  select(sel: SocketSelector = {}): Session[] {
    if (sel.socketId !== undefined) {
      const s = this.sessions.get(sel.socketId);
      return s ? [s] : [];
    }
    const key = sel.key ?? sel.teamId ?? sel.appId;
    const pool = key !== undefined ? this.of(key) : [...this.sessions.values()];
    return pool.filter((s) => (!sel.protocol || s.protocol === sel.protocol) && (!sel.token || s.token === sel.token));
  }

  info(sel: SocketSelector = {}): SocketInfo[] {
    return this.select(sel).map((s) => ({
      socketId: s.id, protocol: s.protocol, key: s.key, openedAt: s.openedAt, helloAt: s.helloAt, blackHoled: s.blackHoled,
    }));
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * One loop per protocol pings every socket of that protocol: no per-socket interval.
   * Socket Mode servers ping every ~10 s with `Ping from <host>` (SLACK-PROTOCOL §2.7).
   */
  startPings(protocol: Protocol, intervalMs: number, payload: string): void {
    if (intervalMs <= 0) return;
    const data = Buffer.from(payload);
    this.pingLoops.push(this.scheduler.every(intervalMs, () => {
      for (const s of this.sessions.values()) {
        if (s.protocol === protocol && !s.blackHoled && s.open) s.ws.ping(data);
      }
    }));
  }

  /** Ends every socket without a close frame (restart, shutdown). */
  terminateAll(reason: string): void {
    for (const s of [...this.sessions.values()]) {
      s.markEnding('fault', reason);
      s.ws.terminate();
    }
  }

  stop(): void {
    for (const loop of this.pingLoops) this.scheduler.cancel(loop);
    this.pingLoops = [];
  }
}
