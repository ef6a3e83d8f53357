import { describe, expect, it } from 'vitest';
import { EmfFleetMetrics, FLEET_METRICS } from '../../shared/adapters/cloudwatch';
import { MemoryFleetMetrics } from '../../shared/adapters/memory';

const t0 = 1_700_000_000_000;
const FLEET = 'LifelineStateful-LinksTable1A2B3C-XYZ';

const collect = (fleet = FLEET) => {
  const lines: string[] = [];
  const metrics = new EmfFleetMetrics({ write: (line) => lines.push(line), fleet, now: () => t0 });
  return { lines, metrics };
};

describe('EmfFleetMetrics', () => {
  it('writes one EMF line: LinksHeld and Capacity under the Fleet dimension only, no worker id', () => {
    const { lines, metrics } = collect();
    metrics.report({ linksHeld: 3_412, capacity: 5_000 });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: {
        Timestamp: t0,
        CloudWatchMetrics: [{ Namespace: 'Lifeline', Dimensions: [['Fleet']], Metrics: [{ Name: 'LinksHeld', Unit: 'Count' }, { Name: 'Capacity', Unit: 'Count' }] }],
      },
      Fleet: FLEET,
      LinksHeld: 3_412,
      Capacity: 5_000,
    });
  });

  it('declares only members the line has, with a string dimension and number metrics (CloudWatch drops anything else silently)', () => {
    const { lines, metrics } = collect();
    metrics.report({ linksHeld: 0, capacity: 1 });
    const document = JSON.parse(lines[0]!) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    const [directive] = document._aws.CloudWatchMetrics;
    for (const key of directive!.Dimensions.flat()) expect(typeof document[key]).toBe('string');
    for (const { Name } of directive!.Metrics) expect(typeof document[Name]).toBe('number');
    // The names the template's policy reads are the names written.
    expect(directive!.Metrics.map((m) => m.Name)).toEqual([FLEET_METRICS.linksHeld, FLEET_METRICS.capacity]);
    expect(directive!.Dimensions).toEqual([[FLEET_METRICS.dimension]]);
  });

  it.each([
    ['a negative count', { linksHeld: -1, capacity: 5_000 }, /linksHeld/],
    ['a fraction', { linksHeld: 1.5, capacity: 5_000 }, /linksHeld/],
    ['NaN', { linksHeld: Number.NaN, capacity: 5_000 }, /linksHeld/],
    ['a zero capacity', { linksHeld: 0, capacity: 0 }, /capacity/],
    ['an infinite capacity', { linksHeld: 0, capacity: Number.POSITIVE_INFINITY }, /capacity/],
  ])('refuses %s with a RangeError naming the field, and writes nothing', (_, sample, field) => {
    const { lines, metrics } = collect();
    expect(() => metrics.report(sample)).toThrow(RangeError);
    expect(() => metrics.report(sample)).toThrow(field);
    expect(lines).toEqual([]);
  });

  it('refuses an empty fleet name', () => {
    expect(() => collect('  ')).toThrow(/fleet name/);
  });

  it('refuses a fleet name that looks like a Slack token, without echoing it', () => {
    const token = 'xoxb-1234-5678-abcdefSECRET';
    let message = '';
    try {
      collect(token);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/looks like a Slack token/);
    expect(message).not.toContain('abcdefSECRET');
  });
});

describe('MemoryFleetMetrics (the embedded twin)', () => {
  it('keeps each report, checked as on AWS', () => {
    const metrics = new MemoryFleetMetrics();
    expect(metrics.last).toBeUndefined();
    metrics.report({ linksHeld: 2, capacity: 10 });
    metrics.report({ linksHeld: 3, capacity: 10 });
    expect(metrics.reports).toEqual([{ linksHeld: 2, capacity: 10 }, { linksHeld: 3, capacity: 10 }]);
    expect(metrics.last).toEqual({ linksHeld: 3, capacity: 10 });
    expect(() => metrics.report({ linksHeld: -2, capacity: 10 })).toThrow(/linksHeld/);
    expect(metrics.reports).toHaveLength(2);
  });
});
