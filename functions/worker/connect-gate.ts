/** What an attempt's outcome says about Slack's load: answered, or not answered in time. */
export type AttemptVerdict = 'answered' | 'overloaded';

export interface ConnectGateOptions {
  /** Attempts in flight at most, ever (the worker's `maxConnectsInFlight`). */
  max: number;
  /** The bound never goes below this. Default 4 (or `max`, if smaller). */
  min?: number;
  /** The worker's clock: the bound is cut at most once per `cutEveryMs` (default 1,000). */
  now: () => number;
  cutEveryMs?: number;
}

/**
 * Connect attempts of one worker in flight at once (URL call, socket, hello); the rest wait their
 * turn, first come first served. An attempt's own timeouts (the Web API call's, hello's) start only
 * when it runs, so a wait here is never charged to the attempt, and an attempt nobody wants any
 * more by its turn (`cancelled`) is never made: no call spent.
 *
 * The bound adapts as TCP's window does: an attempt Slack did not answer in time (`overloaded`)
 * halves it (once per `cutEveryMs`, since a burst of timeouts is one signal), each answered one
 * raises it by one, up to `max`.
 *
 * Why: a storm or cold start started every link's attempt at once. On a loaded machine the URL
 * calls then waited behind each other longer than their 10 s timeout, Slack (the embedded
 * simulator) still answered each after its caller had gone, every retry joined the queue, and
 * nothing opened for minutes (2,000 links: ~1,500 timed-out calls every 30 s for 5 minutes, then
 * 429s for the calls spent). A fixed bound alone does not hold: what is too many depends on how
 * fast Slack answers now.
 */
export class ConnectGate {
  private active = 0;
  private bound: number;
  private readonly min: number;
  private lastCutAt = -Infinity;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ConnectGateOptions) {
    if (!(options.max >= 1)) throw new RangeError('a connect gate needs room for at least one attempt');
    this.bound = options.max;
    this.min = Math.min(options.max, options.min ?? 4);
  }

  /** Attempts running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Attempts waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** How many may run at once now. */
  get limit(): number {
    return this.bound;
  }

  /**
   * Runs `attempt` in its turn; `undefined`, without running it, if `cancelled()` says so by then.
   * `verdict` judges the outcome for the bound (absent: no news).
   */
  async run<T>(attempt: () => Promise<T>, cancelled: () => boolean = () => false, verdict?: (result: T) => AttemptVerdict | undefined): Promise<T | undefined> {
    await this.acquire();
    try {
      if (cancelled()) return undefined;
      const result = await attempt();
      const judged = verdict?.(result);
      if (judged) this.note(judged);
      return result;
    } finally {
      this.release();
    }
  }

  private note(verdict: AttemptVerdict): void {
    if (verdict === 'answered') {
      this.bound = Math.min(this.options.max, this.bound + 1);
      return;
    }
    const now = this.options.now();
    if (now - this.lastCutAt < (this.options.cutEveryMs ?? 1_000)) return;
    this.lastCutAt = now;
    this.bound = Math.max(this.min, Math.floor(this.bound / 2));
  }

  private acquire(): Promise<void> {
    if (this.active < this.bound && this.waiting.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The slot goes straight to the next in line, if the bound still has room for it. */
  private release(): void {
    this.active -= 1;
    while (this.active < this.bound && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()!();
    }
  }
}
