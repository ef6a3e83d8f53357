import type { Timers } from '../../shared/adapters/memory';

interface Scheduled {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets promise callbacks queued by a fired timer run before the next one fires. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/**
 * Timers driven by hand: `advance(ms)` moves the clock and fires what falls due, in due order
 * (ties in scheduling order), letting async callbacks progress between firings.
 */
export class ManualTimers implements Timers {
  private current: number;
  private nextId = 1;
  private readonly scheduled = new Map<number, Scheduled>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.scheduled.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.scheduled.delete(handle as number);
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.scheduled.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = [...this.scheduled.values()]
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.scheduled.delete(due.id);
      this.current = due.at;
      due.callback();
      await settle();
    }
    this.current = target;
  }
}
