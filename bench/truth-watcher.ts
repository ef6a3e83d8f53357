import type { SlackSimulator } from '../shared/slack-simulator';

/** One server-side socket as the simulator saw it: from `hello` to its close. */
export interface SocketSpan {
  socketId: number;
  key: string;
  helloAt: number;
  closedAt?: number;
}

type HelloWaiter = { key: string; afterSocketId: number; resolve: (span: SocketSpan) => void };
type CloseWaiter = { socketId: number; resolve: (at: number) => void };

/**
 * Follows the simulator's ground truth (hello and close records) so every system is measured by
 * the same witness, never by what it says about itself. Records carry the simulator's own
 * timestamps, so polling every few milliseconds only delays when we learn, not what we measure.
 */
export class TruthWatcher {
  private readonly spans = new Map<number, SocketSpan>();
  private readonly byKey = new Map<string, SocketSpan[]>();
  private helloWaiters: HelloWaiter[] = [];
  private closeWaiters: CloseWaiter[] = [];
  private connectCursor = 0;
  private closeCursor = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly sim: SlackSimulator, pollMs = 5) {
    this.timer = setInterval(() => this.poll(), pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The next socket of `key` that gets `hello`, with an id above `afterSocketId` (ids only grow). */
  nextHello(key: string, afterSocketId: number, timeoutMs: number): Promise<SocketSpan | undefined> {
    this.poll();
    const found = this.firstHello(key, afterSocketId);
    if (found) return Promise.resolve(found);
    return withTimeout(timeoutMs, (resolve) => this.helloWaiters.push({ key, afterSocketId, resolve }));
  }

  /** When the socket closed, as the simulator recorded it. */
  closed(socketId: number, timeoutMs: number): Promise<number | undefined> {
    this.poll();
    const at = this.spans.get(socketId)?.closedAt;
    if (at !== undefined) return Promise.resolve(at);
    return withTimeout(timeoutMs, (resolve) => this.closeWaiters.push({ socketId, resolve }));
  }

  /** Sockets of `key` that are past `hello` and not closed. */
  openSpans(key: string): SocketSpan[] {
    this.poll();
    return (this.byKey.get(key) ?? []).filter((span) => span.closedAt === undefined);
  }

  spansOf(key: string): SocketSpan[] {
    this.poll();
    return [...(this.byKey.get(key) ?? [])];
  }

  /** Highest socket id the simulator has handed out so far for `key` (0 if none). */
  lastSocketId(key: string): number {
    this.poll();
    const spans = this.byKey.get(key) ?? [];
    return spans.reduce((max, span) => Math.max(max, span.socketId), 0);
  }

  private firstHello(key: string, afterSocketId: number): SocketSpan | undefined {
    return (this.byKey.get(key) ?? []).find((span) => span.socketId > afterSocketId);
  }

  private poll(): void {
    const { socketConnects, closes } = this.sim.truth;
    // The simulator trims its oldest records past `maxTruthRecords`; the bench sets that high
    // enough that it never happens, and this guards against reading from a shifted list.
    if (socketConnects.length < this.connectCursor || closes.length < this.closeCursor) {
      throw new Error('ground truth was trimmed under the bench: raise maxTruthRecords');
    }
    for (; this.connectCursor < socketConnects.length; this.connectCursor++) {
      const record = socketConnects[this.connectCursor]!;
      if (record.outcome !== 'hello' || record.socketId === undefined) continue;
      const span: SocketSpan = { socketId: record.socketId, key: record.key, helloAt: record.at };
      this.spans.set(span.socketId, span);
      let list = this.byKey.get(span.key);
      if (!list) {
        list = [];
        this.byKey.set(span.key, list);
      }
      list.push(span);
    }
    for (; this.closeCursor < closes.length; this.closeCursor++) {
      const record = closes[this.closeCursor]!;
      const span = this.spans.get(record.socketId);
      if (span) span.closedAt = record.at;
    }
    if (this.helloWaiters.length > 0) {
      this.helloWaiters = this.helloWaiters.filter((waiter) => {
        const span = this.firstHello(waiter.key, waiter.afterSocketId);
        if (span) waiter.resolve(span);
        return !span;
      });
    }
    if (this.closeWaiters.length > 0) {
      this.closeWaiters = this.closeWaiters.filter((waiter) => {
        const at = this.spans.get(waiter.socketId)?.closedAt;
        if (at !== undefined) waiter.resolve(at);
        return at === undefined;
      });
    }
  }
}

function withTimeout<T>(timeoutMs: number, register: (resolve: (value: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      resolve(undefined);
    }, timeoutMs);
    register((value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    });
  });
}
