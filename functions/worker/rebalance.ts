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
}

/**
 * Hand-offs sent and not yet settled, at most. Each is watched with a read every `WATCH_MS`, so
 * this bounds the reads a rebalance adds (80 a second), and a batch of moves is never a storm.
 */
const MAX_IN_FLIGHT = 20;
const WATCH_MS = 250;
/** A hand-off nobody took in this long is forgotten (the link stays here); tried again after `RETRY_AFTER_MS`. */
const HANDOFF_TIMEOUT_MS = 15_000;
const RETRY_AFTER_MS = 30_000;
const MINUTE_MS = 60_000;

interface PendingHandoff {
  epoch: number;
  sentAt: number;
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
  /** Links that moved here, or that we tried to move, and when: not moved (again) for a while. */
  private readonly recent = new Map<string, { at: number; forMs: number }>();
  private readonly sent: number[] = [];
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
    this.fleet = workers.map(({ workerId, capacity, linkCount, draining }) => ({ workerId, capacity, linkCount, draining }));
    const after = this.fleet.map((w) => `${w.workerId}:${w.draining}`).sort().join();
    if (before !== after && this.tickTimer) void this.tick();
  }

  get fleetView(): readonly FleetMember[] {
    return this.fleet;
  }

  /** A hand-off received: take it, send it on toward its target, or drop it (`routeHandoff`). */
  route(command: ConnectCommand, held: number): HandoffRoute {
    return routeHandoff({ self: this.host.deps.workerId, command, held, capacity: this.host.options.capacity, fleet: this.fleet });
  }

  /** A link that just moved here does not move on at once (no ping-pong). */
  noteTaken(linkId: string): void {
    this.counts.taken += 1;
    this.recent.set(linkId, { at: this.host.deps.clock.now(), forMs: this.host.options.rebalanceCooldownMs });
  }

  /** Plans and sends this tick's moves. */
  async tick(): Promise<void> {
    const { deps, options, runners } = this.host;
    if (this.ticking || !this.host.canMove() || options.rebalanceMovesPerMinute <= 0) return;
    this.ticking = true;
    try {
      const now = deps.clock.now();
      while (this.sent.length > 0 && (this.sent[0] as number) <= now - MINUTE_MS) this.sent.shift();
      for (const [id, r] of this.recent) if (now - r.at >= r.forMs) this.recent.delete(id);
      const budget = Math.min(options.rebalanceMovesPerMinute - this.sent.length, MAX_IN_FLIGHT - this.pending.size);
      // Our own count is live; the others' are their last heartbeat's.
      const mine = runners.size;
      const fleet = this.fleet.map((w) => (w.workerId === deps.workerId ? { ...w, linkCount: mine } : w));
      const candidates = [...runners.values()]
        .filter((r) => r.hasOpenSocket && !r.isStopped && !this.pending.has(r.id) && !this.recent.has(r.id))
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
        this.pending.set(move.linkId, { epoch, sentAt: now });
        this.sent.push(now);
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
      await Promise.all(
        [...this.pending].map(async ([linkId, handoff]) => {
          const runner = runners.get(linkId);
          if (!runner || runner.isStopped || runner.fence.epoch !== handoff.epoch) {
            this.pending.delete(linkId);
            return;
          }
          const link = await deps.links.get(linkId).catch(() => undefined);
          if (link && (link.owner !== deps.workerId || link.epoch !== handoff.epoch)) {
            this.pending.delete(linkId);
            this.counts.given += 1;
            await runner.stop('handed off');
            return;
          }
          if (deps.clock.now() - handoff.sentAt >= HANDOFF_TIMEOUT_MS) {
            this.pending.delete(linkId);
            this.counts.dropped += 1;
            this.recent.set(linkId, { at: deps.clock.now(), forMs: RETRY_AFTER_MS });
          }
        }),
      );
    } finally {
      this.watching = false;
    }
  }
}
