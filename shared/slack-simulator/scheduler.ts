import type { Clock } from './clock';

/**
 * One shared timer for every deadline in the simulator (socket lifetimes, hello delays,
 * ack timeouts, redeliveries). Ten thousand sockets must not mean ten thousand timers, so
 * deadlines live in a binary min-heap and a single `setTimeout` is armed for the earliest.
 * Deadlines are compared with the injected clock; with a manual clock, `runDue()` fires them.
 */
export interface TimerHandle {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends TimerHandle {
  seq: number;
  fn: () => void;
}

// setTimeout overflows above 2^31-1 ms; re-arming after the cap is harmless.
const MAX_TIMEOUT_MS = 2_147_483_647;

export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt = Infinity;
  private stopped = false;
  private cancelledCount = 0;

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` once the clock reaches `at`. */
  at(at: number, fn: () => void): TimerHandle {
    const entry: Entry = { at, fn, seq: this.seq++, cancelled: false };
    this.push(entry);
    if (at < this.armedAt) this.arm();
    return entry;
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    return this.at(this.clock.now() + Math.max(0, delayMs), fn);
  }

  /** Repeats `fn` every `intervalMs` until the returned handle is cancelled. */
  every(intervalMs: number, fn: () => void): TimerHandle {
    const handle: TimerHandle = { at: 0, cancelled: false };
    const loop = (): void => {
      if (handle.cancelled) return;
      fn();
      if (!handle.cancelled) this.after(intervalMs, loop);
    };
    this.after(intervalMs, loop);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle || handle.cancelled) return;
    handle.cancelled = true;
    // Long deadlines (8 h socket ages) of sockets that closed early would pile up: compact lazily.
    this.cancelledCount += 1;
    if (this.cancelledCount > 1024 && this.cancelledCount * 2 > this.heap.length) this.compact();
  }

  /** Fires every deadline that is due by the clock now. Returns how many ran. */
  runDue(): number {
    let ran = 0;
    const now = this.clock.now();
    for (let top = this.heap[0]; top && top.at <= now; top = this.heap[0]) {
      this.pop();
      if (top.cancelled) {
        this.cancelledCount = Math.max(0, this.cancelledCount - 1);
        continue;
      }
      top.cancelled = true;
      ran += 1;
      top.fn();
    }
    this.arm();
    return ran;
  }

  get size(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
  }

  private compact(): void {
    const live = this.heap.filter((e) => !e.cancelled);
    this.heap.length = 0;
    this.cancelledCount = 0;
    for (const e of live) this.push(e);
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    while (this.heap[0]?.cancelled) {
      this.pop();
      this.cancelledCount = Math.max(0, this.cancelledCount - 1);
    }
    const top = this.heap[0];
    if (!top || this.stopped) return;
    const delay = Math.min(MAX_TIMEOUT_MS, Math.max(0, top.at - this.clock.now()));
    this.armedAt = top.at;
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
