import { describe, expect, it } from 'vitest';
import { MemoryMetrics } from '../../shared/adapters/memory';

describe('MemoryMetrics', () => {
  it('records every point and filters them by name and dimensions', () => {
    const metrics = new MemoryMetrics();
    metrics.put('FatalErrors', 1, { Code: 'invalid_auth' });
    metrics.put('FatalErrors', 2, { Code: 'account_inactive' });
    metrics.put('Reconnects', 1);
    metrics.put('FatalErrors', 4, { Code: 'invalid_auth', Protocol: 'rtm' });
    expect(metrics.values('FatalErrors')).toEqual([1, 2, 4]);
    expect(metrics.values('FatalErrors', { Code: 'invalid_auth' })).toEqual([1, 4]);
    expect(metrics.sum('FatalErrors', { Code: 'invalid_auth' })).toBe(5);
    expect(metrics.points[2]).toEqual({ name: 'Reconnects', value: 1, dimensions: {} });
    metrics.clear();
    expect(metrics.points).toEqual([]);
  });

  it('keeps its own copy of the dimensions', () => {
    const metrics = new MemoryMetrics();
    const dimensions = { State: 'open' };
    metrics.put('LinksByState', 3, dimensions);
    dimensions.State = 'backoff';
    expect(metrics.values('LinksByState', { State: 'open' })).toEqual([3]);
  });
});
