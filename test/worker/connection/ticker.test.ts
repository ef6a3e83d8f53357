import { describe, expect, it } from 'vitest';
import { IntervalTicker, type Tickable } from '../../../functions/worker/connection';
import { eventually } from '../../support/wait-for';

describe('IntervalTicker', () => {
  it('ticks every registered target from one interval, and stops when the last one leaves', async () => {
    const ticker = new IntervalTicker({ intervalMs: 20 });
    const counts = [0, 0];
    const a: Tickable = { tick: () => void (counts[0]! += 1) };
    const b: Tickable = { tick: () => void (counts[1]! += 1) };
    ticker.add(a);
    ticker.add(b);
    await eventually(() => counts[0]! >= 3 && counts[1]! >= 3, 10_000, 'ticks');
    ticker.remove(a);
    const frozen = counts[0];
    await eventually(() => counts[1]! >= frozen! + 3, 10_000, 'more ticks for b');
    expect(counts[0]).toBe(frozen);
    ticker.remove(b);
    expect(ticker.size).toBe(0);
  });

  it('a target that throws does not stop the others; the error goes to onError', async () => {
    const errors: unknown[] = [];
    const ticker = new IntervalTicker({ intervalMs: 20, onError: (e) => errors.push(e) });
    let ticked = 0;
    ticker.add({ tick: () => { throw new Error('boom'); } });
    ticker.add({ tick: () => void (ticked += 1) });
    await eventually(() => ticked >= 2, 10_000, 'the healthy target');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    ticker.stop();
  });

  it('a tick that comes late because the loop was blocked is flagged as stalled', async () => {
    const ticker = new IntervalTicker({ intervalMs: 20, stallToleranceMs: 100 });
    const seen: boolean[] = [];
    ticker.add({ tick: (stalled) => void seen.push(stalled) });
    await eventually(() => seen.length >= 1, 10_000, 'a first tick');
    const until = Date.now() + 300;
    while (Date.now() < until) { /* block the event loop */ }
    await eventually(() => seen.length >= 3, 10_000, 'ticks after the block');
    ticker.stop();
    expect(seen.filter(Boolean)).toHaveLength(1);
  });
});
