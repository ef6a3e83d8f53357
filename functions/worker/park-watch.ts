import { pagesInState } from '../../shared/app';
import { PARKED_STATES } from '../../shared/domain';
import type { LinkStore, Logger } from '../../shared/ports';

export interface ParkWatchDeps {
  links: LinkStore;
  workerId: string;
  clock: { now(): number };
  log: Logger;
}

/** The worker side: does it hold a runner for the link, and the one-link verdict (`Worker.recheckLink`). */
export interface ParkWatchHost {
  holds(linkId: string): boolean;
  recheck(linkId: string): Promise<void>;
}

export interface ParkWatchOptions {
  /** How often it looks. 0: never (embedded workers hear of a park over IPC). */
  intervalMs: number;
  /**
   * How far before its last look each look reaches back: covers the state index's propagation
   * (eventually consistent, usually well under a second) and the clock skew between the writer
   * (a Lambda, a peer) that stamped `dueAt` and this task. Default 10,000.
   */
  lookbackMs?: number;
}

/**
 * AWS's fast path for "a park written elsewhere closes the socket at once" (ARCHITECTURE,
 * Lifecycle). A parked link's `dueAt` on the state index is the time of its park write, so
 * "links parked since my last look" is one range query per parked state, answered by the index
 * every worker already has; almost always empty (0.5 read unit each). The worker re-judges only
 * the links it holds (`recheck`: a consistent read, then the same verdict reconcile gives), so
 * a stale or foreign entry can close nothing it should keep, and a missed one is still caught
 * by the next look or by reconcile.
 */
export class ParkWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastLookAt: number;
  private stopped = false;
  /** Looks failed in a row: only the first of a streak is a warning (a store outage would repeat it every look). */
  private failures = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ParkWatchDeps,
    private readonly host: ParkWatchHost,
    private readonly options: ParkWatchOptions,
  ) {
    this.lastLookAt = deps.clock.now();
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One look: the links parked since the last look (less the lookback) that this worker holds, each re-judged. Returns how many were. */
  async lookOnce(): Promise<number> {
    const startedAt = this.deps.clock.now();
    const since = this.lastLookAt - (this.options.lookbackMs ?? 10_000);
    let rechecked = 0;
    for (const state of PARKED_STATES) {
      for await (const page of pagesInState(this.deps.links, state, { dueAtOrAfter: since, limit: 200 })) {
        for (const link of page) {
          if (link.owner !== this.deps.workerId || !this.host.holds(link.id)) continue;
          await this.host.recheck(link.id);
          rechecked += 1;
        }
      }
    }
    // Only a complete look moves the window: a failed one is looked at again from the same point.
    this.lastLookAt = startedAt;
    return rechecked;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.lookOnce()
        .then((count) => {
          if (this.failures > 0) this.deps.log.info('park watch looking again', { failedLooks: this.failures });
          this.failures = 0;
          if (count > 0) this.deps.log.info('links parked elsewhere re-judged', { count });
        })
        .catch((error: unknown) => {
          this.failures += 1;
          if (this.failures === 1) this.deps.log.warn('park watch failed; it looks again, and reconcile stays the slow path', { error });
          else this.deps.log.debug('park watch failed again', { failedLooks: this.failures });
        })
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref?.();
  }
}
