import { describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../shared/adapters/metrics';
import type { MetricName } from '../../shared/ports';

const t0 = 1_700_000_000_000;

/**
 * Checks a line against the rules CloudWatch applies to embedded metric format (a line that
 * breaks them is dropped silently): every declared dimension and metric is a root member,
 * dimension values are strings, metric values numbers.
 */
const parseEmf = (line: string) => {
  const document = JSON.parse(line) as Record<string, unknown> & {
    _aws: {
      Timestamp: number;
      CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
    };
  };
  expect(line).not.toContain('\n');
  expect(Number.isInteger(document._aws.Timestamp)).toBe(true);
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) for (const key of set) expect(typeof document[key]).toBe('string');
    for (const metric of directive.Metrics) expect(typeof document[metric.Name]).toBe('number');
  }
  return document;
};

const collect = (options: Partial<ConstructorParameters<typeof EmfMetrics>[0]> = {}) => {
  const lines: string[] = [];
  const metrics = new EmfMetrics({ write: (line) => lines.push(line), now: () => t0, ...options });
  return { lines, metrics };
};

describe('EmfMetrics', () => {
  it('writes one EMF line per point with namespace, dimension set, unit and value', () => {
    const { lines, metrics } = collect();
    metrics.put('FatalErrors', 1, { Code: 'invalid_auth', Protocol: 'rtm' });
    expect(lines).toHaveLength(1);
    expect(parseEmf(lines[0] ?? '')).toEqual({
      _aws: {
        Timestamp: t0,
        CloudWatchMetrics: [
          { Namespace: 'Lifeline', Dimensions: [['Code', 'Protocol']], Metrics: [{ Name: 'FatalErrors', Unit: 'Count' }] },
        ],
      },
      Code: 'invalid_auth',
      Protocol: 'rtm',
      FatalErrors: 1,
    });
  });

  it('declares durations in milliseconds and everything else as counts', () => {
    const { lines, metrics } = collect();
    const names: MetricName[] = ['TimeToReconnectMs', 'TimeToDetectMs', 'Reconnects', 'LinksByState', 'SinkFailures', 'LiveWorkers'];
    for (const name of names) metrics.put(name, 5);
    const units = lines.map((line) => parseEmf(line)._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit);
    expect(units).toEqual(['Milliseconds', 'Milliseconds', 'Count', 'Count', 'Count', 'Count']);
  });

  it('writes a point without dimensions as an empty dimension set', () => {
    const { lines, metrics } = collect();
    metrics.put('LiveWorkers', 3);
    const document = parseEmf(lines[0] ?? '');
    expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([[]]);
    expect(document.LiveWorkers).toBe(3);
  });

  it('adds default dimensions to every point, the point’s own winning', () => {
    const { lines, metrics } = collect({ namespace: 'Lifeline/Test', defaultDimensions: { Service: 'worker', State: 'x' } });
    metrics.put('LinksByState', 40, { State: 'open' });
    const document = parseEmf(lines[0] ?? '');
    expect(document).toMatchObject({ Service: 'worker', State: 'open', LinksByState: 40 });
    expect(document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Lifeline/Test', Dimensions: [['Service', 'State']] });
  });

  it('stamps each line with the injected clock', () => {
    let now = t0;
    const { lines, metrics } = collect({ now: () => now });
    metrics.put('Reconnects', 1);
    now += 1_500;
    metrics.put('Reconnects', 1);
    expect(lines.map((line) => parseEmf(line)._aws.Timestamp)).toEqual([t0, t0 + 1_500]);
  });

  it('drops a non-finite value rather than write a line CloudWatch would reject', () => {
    const { lines, metrics } = collect();
    metrics.put('TimeToReconnectMs', Number.NaN);
    metrics.put('TimeToReconnectMs', Number.POSITIVE_INFINITY);
    expect(lines).toEqual([]);
  });
});
