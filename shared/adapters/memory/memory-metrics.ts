import type { MetricName, Metrics } from '../../ports';

export interface MetricPoint {
  name: MetricName;
  value: number;
  dimensions: Record<string, string>;
}

/** Metrics twin: records every point so tests can assert what a component reported. */
export class MemoryMetrics implements Metrics {
  readonly points: MetricPoint[] = [];

  put(name: MetricName, value: number, dimensions: Record<string, string> = {}): void {
    this.points.push({ name, value, dimensions: { ...dimensions } });
  }

  /** Values of `name` whose dimensions include every given one, in the order they were put. */
  values(name: MetricName, dimensions: Record<string, string> = {}): number[] {
    return this.points
      .filter((point) => point.name === name)
      .filter((point) => Object.entries(dimensions).every(([key, value]) => point.dimensions[key] === value))
      .map((point) => point.value);
  }

  sum(name: MetricName, dimensions?: Record<string, string>): number {
    return this.values(name, dimensions).reduce((total, value) => total + value, 0);
  }

  clear(): void {
    this.points.length = 0;
  }
}
