import type { Clock, Tickable, Ticker } from '../../../functions/worker/connection';

/** A clock that moves only when a test says so. */
export class ManualClock implements Clock {
  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

/** A ticker that ticks only when told: with a `ManualClock`, timing decisions become exact. */
export class ManualTicker implements Ticker {
  readonly targets = new Set<Tickable>();

  add(target: Tickable): void {
    this.targets.add(target);
  }

  remove(target: Tickable): void {
    this.targets.delete(target);
  }

  tick(stalled = false): void {
    for (const t of this.targets) t.tick(stalled);
  }

  /** Sets the clock to `at` and ticks. */
  tickAt(clock: ManualClock, at: number, stalled = false): void {
    clock.set(at);
    this.tick(stalled);
  }
}
