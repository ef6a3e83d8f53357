import { planMoves, routeHandoff, type FleetMember, type HandoffRoute } from '../../shared/app';
import type { ConnectCommand, WorkerRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';
import type { LinkRunner } from './link-runner';
import type { WorkerOptions } from './options';

/** What the rebalancer sees of its worker. */
export interface RebalanceHost {
  readonly deps: WorkerDeps;
  readonly options: WorkerOptions;
  readonly runners: ReadonlyMap<string, LinkRunner>;
  /** Running: not draining, stopped or fencing. */
  canMove(): boolean;
  /** The store answers our heartbeats: a claim could be written. */
  storeAnswers(): boolean;
  /** When a link last became ours (`HeldLinks.lastTakenAt`). */
  lastTakenAt(): number | undefined;
}

/**
 * Hand-offs sent and not yet settled, at most. Each is watched with a read every `WATCH_MS`, so
 * this bounds the reads a rebalance adds (80 a second), and a batch of moves is never a storm.
 */
const MAX_IN_FLIGHT = 20;
const WATCH_MS = 250;
/**
 * A hand-off not taken in this long no longer counts against `MAX_IN_FLIGHT` (its target dropped
 * it, most likely: full, or above its share by then). It is still watched, every
 * `LATE_WATCH_MS`, until `FORGET_AFTER_MS`, and its link is not planned again meanwhile: a copy
 * still on its way may yet be claimed, and our socket must close then. Not longer: a lost
 * hand-off held its link out of the plan for two minutes (a replacement worker waited that long
 * for its share). A copy claimed after that (one a dying receiver held, redelivered after the
 * queue's visibility timeout, 60 s on SQS) leaves our socket open until reconcile lets it go
 * (`reconcileMs`); dedupe keeps its events single meanwhile.
 */
const HANDOFF_TIMEOUT_MS = 5_000;
const LATE_WATCH_MS = 2_000;
const FORGET_AFTER_MS = 30_000;
const MINUTE_MS = 60_000;
/**
 * A Socket Mode link is not moved within this long of its last connect. `apps.connections.open`
 * is Tier 1 (about one a minute, small bursts) per *app*, and all of an app's slots (up to 10)
 * share that budget, so moving slots just after they connected (a cold start whose commands one
 * worker took most of) spent the app's burst and left its next reconnects waiting out 429s.
 * RTM links move at once: `rtm.connect`'s budget is the workspace's own, and a move is one call.
 */
const APP_CONNECT_WINDOW_MS = MINUTE_MS;

interface PendingHandoff {
  epoch: number;
  sentAt: number;
  to: string;
  /** When the watch last read this link. */
  readAt: number;
}

/**
 * Moves links toward an even share of the fleet, over the drain's path: for each surplus link a
 * hand-off command naming an under-loaded peer (`handoffTo`); the peer opens its socket first
 * and then claims under epoch fencing (`acceptHandoff`), and this worker closes its socket when
 * it sees the link's owner or epoch moved. Planned on the heartbeats' numbers (`planMoves`),
 * bounded per minute, never while the store is away or the worker is leaving.
 */
export class Rebalancer {
  private fleet: FleetMember[] = [];
  private readonly pending = new Map<string, PendingHandoff>();
  /** Links that moved here, and when: not moved on for `rebalanceCooldownMs` (no ping-pong). */
  private readonly recent = new Map<string, number>();
  /** When each hand-off of the last minute was sent (the per-minute bound). */
  private readonly sent: number[] = [];
  /** Where hand-offs went lately: added to a receiver's heartbeat count until its next heartbeat has them. */
  private readonly recentMoves: { at: number; to: string }[] = [];
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;
  private watching = false;
  /** Hand-offs this worker gave (settled: the peer claimed) and took, since start. */
  readonly counts = { given: 0, taken: 0, dropped: 0 };

  constructor(private readonly host: RebalanceHost) {}

  start(): void {
    if (this.host.options.rebalanceMovesPerMinute <= 0) return;
    this.tickTimer = setInterval(() => void this.tick(), this.host.options.rebalanceIntervalMs);
    this.tickTimer.unref?.();
    this.watchTimer = setInterval(() => void this.watch(), WATCH_MS);
    this.watchTimer.unref?.();
  }

  stop(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
  }

  /** The fleet as the last heartbeat look saw it; a change of members is looked at at once. */
  noteFleet(workers: readonly WorkerRecord[]): void {
    const before = this.fleet.map((w) => `${w.workerId}:${w.draining}`).sort().join();
    this.fleet = workers.map(({ workerId, capacity, linkCount, draining, counter }) => ({ workerId, capacity, linkCount, draining, settling: counter === 0 }));
    const after = this.fleet.map((w) => `${w.workerId}:${w.draining}`).sort().join();
    if (before !== after && this.tickTimer) void this.tick();
  }

  /** A hand-off received: take it, send it on toward its target, or drop it (`routeHandoff`). */
  route(command: ConnectCommand, held: number): HandoffRoute {
    return routeHandoff({ self: this.host.deps.workerId, command, held, capacity: this.host.options.capacity, fleet: this.fleet });
  }

  /** The peer a link's hand-off in flight names: a drain sends its copy there too, so only one taker opens a socket. */
  targetOf(linkId: string): string | undefined {
    return this.pending.get(linkId)?.to;
  }

  /** A link that just moved here does not move on at once (no ping-pong). */
  noteTaken(linkId: string): void {
    this.counts.taken += 1;
    this.recent.set(linkId, this.host.deps.clock.now());
  }

  /** Plans and sends this tick's moves. */
  async tick(): Promise<void> {
    const { deps, options, runners } = this.host;
    if (this.ticking || !this.host.canMove() || options.rebalanceMovesPerMinute <= 0) return;
    // Still taking links (a cold start, a dead peer's links): the fleet's numbers are moving, and
    // a peer's heartbeat says its count up to a heartbeat ago, while ours is live. Planned then,
    // an even cold start of 5,000 links (2,516 / 2,484) moved 32-100 links on counts its peer had
    // long passed: a Tier 1 call and a write each, for nothing. Plan once our own intake has been
    // quiet for two heartbeats, when every peer's last one counts what it took meanwhile.
    const takenAt = this.host.lastTakenAt();
    if (takenAt !== undefined && deps.clock.now() - takenAt < 2 * options.heartbeatMs) return;
    this.ticking = true;
    try {
      const now = deps.clock.now();
      while (this.sent.length > 0 && (this.sent[0] as number) <= now - MINUTE_MS) this.sent.shift();
      while (this.recentMoves.length > 0 && (this.recentMoves[0] as { at: number }).at <= now - 2 * options.heartbeatMs) this.recentMoves.shift();
      for (const [id, at] of this.recent) if (now - at >= options.rebalanceCooldownMs) this.recent.delete(id);
      const inFlight = [...this.pending.values()].filter((p) => now - p.sentAt < HANDOFF_TIMEOUT_MS);
      const budget = Math.min(options.rebalanceMovesPerMinute - this.sent.length, MAX_IN_FLIGHT - inFlight.length);
      // Our own count is live, less the links on their way out. The others' are their last
      // heartbeat's: what we sent them within the last two heartbeats may not be in it yet.
      const mine = runners.size - inFlight.length;
      const recentTo = new Map<string, number>();
      for (const move of this.recentMoves) if (now - move.at < 2 * options.heartbeatMs) recentTo.set(move.to, (recentTo.get(move.to) ?? 0) + 1);
      const fleet = this.fleet.map((w) => (w.workerId === deps.workerId ? { ...w, linkCount: mine } : { ...w, linkCount: w.linkCount + (recentTo.get(w.workerId) ?? 0) }));
      const candidates = [...runners.values()]
        .filter((r) => r.hasOpenSocket && !r.isStopped && !this.pending.has(r.id) && !this.recent.has(r.id) && !spentAppBudget(r, now))
        .map((r) => r.id);
      const moves = planMoves({
        self: deps.workerId,
        fleet,
        candidates,
        budget,
        settings: { tolerance: options.rebalanceTolerancePercent / 100 },
        storeDegraded: !this.host.storeAnswers(),
      });
      for (const move of moves) {
        const runner = runners.get(move.linkId);
        if (!runner || !this.host.canMove()) break;
        const epoch = runner.fence.epoch;
        this.pending.set(move.linkId, { epoch, sentAt: now, to: move.to, readAt: now });
        this.sent.push(now);
        this.recentMoves.push({ at: now, to: move.to });
        await deps.queue
          .send({ linkId: move.linkId, epoch, handoffFrom: deps.workerId, handoffTo: move.to, hops: 0, handoffKind: 'rebalance' })
          .catch((error) => {
            this.pending.delete(move.linkId);
            deps.log.warn('rebalance hand-off not sent', { linkId: move.linkId, error });
          });
      }
      if (moves.length > 0) deps.log.info('rebalancing: hand-offs sent', { moves: moves.length, held: mine, to: [...new Set(moves.map((m) => m.to))] });
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Each hand-off in flight: once the link's owner or epoch moved (the peer claimed it), close
   * our socket; the peer's was open before its claim. Not taken in time: the link stays here.
   */
  private async watch(): Promise<void> {
    if (this.watching || this.pending.size === 0) return;
    this.watching = true;
    const { deps, runners } = this.host;
    try {
      const now = deps.clock.now();
      await Promise.all(
        [...this.pending].map(async ([linkId, handoff]) => {
          const runner = runners.get(linkId);
          if (!runner || runner.isStopped || runner.fence.epoch !== handoff.epoch || now - handoff.sentAt >= FORGET_AFTER_MS) {
            this.pending.delete(linkId);
            return;
          }
          const late = now - handoff.sentAt >= HANDOFF_TIMEOUT_MS;
          if (late && now - handoff.readAt < LATE_WATCH_MS) return;
          if (late && handoff.readAt - handoff.sentAt < HANDOFF_TIMEOUT_MS) this.counts.dropped += 1;
          handoff.readAt = now;
          const link = await deps.links.get(linkId).catch(() => undefined);
          if (link && (link.owner !== deps.workerId || link.epoch !== handoff.epoch)) {
            this.pending.delete(linkId);
            this.counts.given += 1;
            await runner.stop('handed off');
          }
        }),
      );
    } finally {
      this.watching = false;
    }
  }
}

/** A Socket Mode link that connected within `APP_CONNECT_WINDOW_MS`: a move now would be its app's second Tier 1 call in the window. */
const spentAppBudget = (runner: LinkRunner, now: number): boolean =>
  runner.identity.protocol === 'socket' && runner.lastConnectAt !== undefined && now - runner.lastConnectAt < APP_CONNECT_WINDOW_MS;
