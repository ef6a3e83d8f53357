import type { Tickable, Ticker } from './types';

/** Default tick: fine enough to keep dead-socket detection within ~deadAfterMs + 250 ms. */
export const DEFAULT_TICK_MS = 250;

export interface IntervalTickerOptions {
  /** Default 250. */
  intervalMs?: number;
  /**
   * A tick that runs this much later than scheduled means the loop was blocked; that tick tells
   * connections not to judge silence, since their frames may be unread. Default 1,000.
   */
  stallToleranceMs?: number;
  /** A connection whose tick threw; the others are still ticked. Default: rethrow on the next turn. */
  onError?: (err: unknown) => void;
}

/**
 * One `setInterval` for every connection of the process: thousands of sockets cost one timer,
 * and an idle process (no connections) holds none. Unref'd: sockets, not the ticker, keep a
 * worker alive.
 */
export class IntervalTicker implements Ticker {
  private readonly targets = new Set<Tickable>();
  private readonly intervalMs: number;
  private readonly stallToleranceMs: number;
  private readonly onError: (err: unknown) => void;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTickAt = 0;

  constructor(options: IntervalTickerOptions = {}) {
    this.intervalMs = options.intervalMs ?? DEFAULT_TICK_MS;
    this.stallToleranceMs = options.stallToleranceMs ?? 1_000;
    this.onError = options.onError ?? ((err) => process.nextTick(() => {
      throw err;
    }));
    if (!(this.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
  }

  get size(): number {
    return this.targets.size;
  }

  add(target: Tickable): void {
    this.targets.add(target);
    if (this.timer === undefined) {
      this.lastTickAt = performance.now();
      this.timer = setInterval(() => this.runTick(), this.intervalMs);
      this.timer.unref();
    }
  }

  remove(target: Tickable): void {
    this.targets.delete(target);
    if (this.targets.size === 0) this.stop();
  }

  /** Stops the interval; connections still registered are no longer watched. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private runTick(): void {
    const now = performance.now();
    const stalled = now - this.lastTickAt > this.intervalMs + this.stallToleranceMs;
    this.lastTickAt = now;
    // A Set iterator tolerates removals during iteration (a tick may end its own connection).
    for (const target of this.targets) {
      try {
        target.tick(stalled);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
