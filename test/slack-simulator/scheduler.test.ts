import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../shared/slack-simulator';
import { Scheduler } from '../../shared/slack-simulator/scheduler';

describe('the shared scheduler', () => {
  it('fires due deadlines in time order (ties in insertion order) and never fires cancelled ones', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 1000 }), cancel: fc.boolean() }), { maxLength: 200 }),
      fc.integer({ min: 0, max: 1000 }),
      (specs, until) => {
        const clock = createManualClock(0);
        const scheduler = new Scheduler(clock);
        const fired: number[] = [];
        const handles = specs.map((s, i) => scheduler.at(s.at, () => fired.push(i)));
        specs.forEach((s, i) => s.cancel && scheduler.cancel(handles[i]));
        clock.set(until);
        scheduler.runDue();
        scheduler.stop();
        const expected = specs
          .map((s, i) => ({ ...s, i }))
          .filter((s) => !s.cancel && s.at <= until)
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map((s) => s.i);
        expect(fired).toEqual(expected);
      },
    ));
  });

  it('compacts cancelled deadlines so closed sockets do not pile up', () => {
    const scheduler = new Scheduler(createManualClock(0));
    const handles = Array.from({ length: 5000 }, (_, i) => scheduler.at(1_000_000 + i, () => undefined));
    for (const h of handles.slice(0, 4900)) scheduler.cancel(h);
    expect(scheduler.size).toBeLessThan(2500);
    scheduler.stop();
  });

  it('repeats `every` until cancelled', () => {
    const clock = createManualClock(0);
    const scheduler = new Scheduler(clock);
    let n = 0;
    const loop = scheduler.every(10, () => (n += 1));
    for (let t = 0; t < 5; t += 1) {
      clock.advance(10);
      scheduler.runDue();
    }
    scheduler.cancel(loop);
    clock.advance(100);
    scheduler.runDue();
    expect(n).toBe(5);
    scheduler.stop();
  });
});
