/**
 * How long and how much an HTTP client may take from us, in one place for every `node:http`
 * listener Lifeline serves (the embedded server, the `node:http` adapter of `functions/http`).
 * Node's defaults let one client hold a request for 300 s; a thousand of them exhaust the
 * process's file descriptors, and the process that serves Slack's events also serves the store.
 */
export interface HttpLimits {
  /** Time for a request's headers to arrive. Default 10,000 ms (Node: 60,000). */
  headersTimeoutMs: number;
  /** Time for a body to arrive once a route starts reading it. Default 10,000 ms (Node: 300,000 for the whole request). */
  bodyTimeoutMs: number;
  /** Largest body a route reads; a larger one gets 413. Default 1 MiB (Slack's events are a few KB). */
  maxBodyBytes: number;
  /**
   * Open connections at most. At the cap a new connection evicts the oldest one that is not
   * being answered (a client still sending its request, or an idle keep-alive), so slow
   * clients cannot lock Slack out; only when every connection is being answered is the new
   * one refused. Default 512.
   */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  maxConnections: 512,
});

export const httpLimits = (overrides: Partial<HttpLimits> = {}): HttpLimits => {
  const limits = { ...DEFAULT_HTTP_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof HttpLimits, number | undefined][]) if (value !== undefined) limits[key] = value;
  return limits;
};

/** What the limits did, for the status page: counted, never logged above debug (a scanner makes thousands). */
export interface HttpLimitCounts {
  connectionsOpen: number;
  /** Connections closed to make room at the cap. */
  connectionsEvicted: number;
  /** New connections refused because every open one was being answered. */
  connectionsRefused: number;
  /** Requests whose headers (or whole request, as Node's backstop) did not arrive in time: 408. */
  requestsTimedOut: number;
  /** Bodies not complete by the body deadline: 408 and the connection closed. */
  bodiesTimedOut: number;
  /** Bodies the client gave up on (connection closed mid-body). */
  bodiesAborted: number;
  /** Bodies over the size limit: 413. */
  bodiesTooLarge: number;
}

export class HttpLimitStats {
  connectionsEvicted = 0;
  connectionsRefused = 0;
  requestsTimedOut = 0;
  bodiesTimedOut = 0;
  bodiesAborted = 0;
  bodiesTooLarge = 0;
  /** Each limited server reports its open connections here. */
  private readonly openCounters = new Set<() => number>();

  trackOpen(count: () => number): () => void {
    this.openCounters.add(count);
    return () => void this.openCounters.delete(count);
  }

  counts(): HttpLimitCounts {
    let connectionsOpen = 0;
    for (const count of this.openCounters) connectionsOpen += count();
    return {
      connectionsOpen,
      connectionsEvicted: this.connectionsEvicted,
      connectionsRefused: this.connectionsRefused,
      requestsTimedOut: this.requestsTimedOut,
      bodiesTimedOut: this.bodiesTimedOut,
      bodiesAborted: this.bodiesAborted,
      bodiesTooLarge: this.bodiesTooLarge,
    };
  }
}
