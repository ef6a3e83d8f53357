import type { MetricName, Metrics } from '../../ports';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface EmfMetricsOptions {
  /** Where each line goes; production passes a stdout writer (the agent or Lambda picks it up). */
  write(line: string): void;
  /** Default `Lifeline`. */
  namespace?: string;
  /** Added to every point, e.g. `{ Service: 'worker' }`; a point's own dimensions win. */
  defaultDimensions?: Record<string, string>;
  now?: () => number;
}

/** Durations end in `Ms` by convention of the port's names; everything else counts. */
export const unitOf = (name: MetricName): MetricUnit => (name.endsWith('Ms') ? 'Milliseconds' : 'Count');

/**
 * Metrics as CloudWatch embedded metric format: one JSON line per point, which CloudWatch
 * Logs turns into a metric with exactly the point's dimension set. One line per point keeps the
 * writer stateless (nothing to flush when a worker dies); the volume is a few lines a second.
 */
export class EmfMetrics implements Metrics {
  private readonly write: (line: string) => void;
  private readonly namespace: string;
  private readonly defaultDimensions: Record<string, string>;
  private readonly now: () => number;

  constructor(options: EmfMetricsOptions) {
    this.write = options.write;
    this.namespace = options.namespace ?? 'Lifeline';
    this.defaultDimensions = { ...options.defaultDimensions };
    this.now = options.now ?? Date.now;
  }

  put(name: MetricName, value: number, dimensions: Record<string, string> = {}): void {
    // A non-finite value would make the whole line invalid and CloudWatch would drop it silently.
    if (!Number.isFinite(value)) return;
    const all = { ...this.defaultDimensions, ...dimensions };
    // Dimension keys live at the top level next to the metric; one may not shadow the other.
    delete (all as Record<string, unknown>)[name];
    const line = {
      _aws: {
        Timestamp: this.now(),
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [Object.keys(all)],
            Metrics: [{ Name: name, Unit: unitOf(name) }],
          },
        ],
      },
      ...all,
      [name]: value,
    };
    this.write(JSON.stringify(line));
  }
}
