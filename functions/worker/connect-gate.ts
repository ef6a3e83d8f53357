/**
 * Connect attempts of one worker in flight at once, at most `limit` (URL call, socket, hello);
 * the rest wait their turn, first come first served. An attempt's own timeouts (the Web API
 * call's, hello's) start only when it runs, so a wait here is never charged to the attempt, and
 * an attempt nobody wants any more by its turn (`cancelled`) is never made: no call spent.
 *
 * Why: a storm or cold start started every link's attempt at once. On a loaded machine the URL
 * calls then waited behind each other longer than their 10 s timeout, Slack (the embedded
 * simulator) still answered each one after its caller had gone, every retry joined the queue,
 * and nothing opened: 14,469 timed-out calls in ten minutes at 5,000 links, each a Tier 1 call
 * spent for nothing. Bounded, the queue is ours and costs nothing.
 */
export class ConnectGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('a connect gate needs room for at least one attempt');
  }

  /** Attempts running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Attempts waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `attempt` in its turn; `undefined`, without running it, if `cancelled()` says so by then. */
  async run<T>(attempt: () => Promise<T>, cancelled: () => boolean = () => false): Promise<T | undefined> {
    await this.acquire();
    try {
      return cancelled() ? undefined : await attempt();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The slot goes straight to the next in line, if any. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
