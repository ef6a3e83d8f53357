import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/domain';

describe('backoffDelay', () => {
  it('is immediate for the first retry after a healthy drop', () => {
    expect(backoffDelay({ attempt: 0 }, {}, () => 0.99)).toBe(0);
  });

  it('draws full jitter from a window that doubles per attempt', () => {
    const top = () => 0.999_999_9;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay({ attempt }, {}, top))).toEqual([999, 1999, 3999, 7999]);
    expect(backoffDelay({ attempt: 3 }, {}, () => 0)).toBe(0);
    expect(backoffDelay({ attempt: 3 }, {}, () => 0.5)).toBe(2000);
  });

  it('caps the window at 60 s by default, and at the given cap', () => {
    expect(backoffDelay({ attempt: 50 }, {}, () => 0.999_999_9)).toBe(59_999);
    expect(backoffDelay({ attempt: 5_000 }, {}, () => 0.5)).toBe(30_000);
    expect(backoffDelay({ attempt: 4 }, { baseMs: 10, capMs: 50 }, () => 0.5)).toBe(25);
  });

  it('never undercuts Retry-After, even at attempt 0', () => {
    expect(backoffDelay({ attempt: 0, retryAfterMs: 3_000 }, {}, () => 0)).toBe(3_000);
    expect(backoffDelay({ attempt: 2, retryAfterMs: 120_000 }, {}, () => 0.9)).toBe(120_000);
  });

  it('tolerates a misbehaving random source', () => {
    expect(backoffDelay({ attempt: 2 }, {}, () => Number.NaN)).toBe(0);
    expect(backoffDelay({ attempt: 2 }, {}, () => 1)).toBeLessThan(2_000);
    expect(backoffDelay({ attempt: 2 }, {}, () => -4)).toBe(0);
  });

  it('always lies within [Retry-After, max(Retry-After, cap)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, retryAfterMs, draw) => {
          const delay = backoffDelay(retryAfterMs === undefined ? { attempt } : { attempt, retryAfterMs }, {}, () => draw);
          const floor = retryAfterMs ?? 0;
          expect(delay).toBeGreaterThanOrEqual(floor);
          expect(delay).toBeLessThanOrEqual(Math.max(floor, 60_000));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });
});
