import { checkFleetReport, type FleetMetrics, type FleetReport } from '../../ports';

/**
 * The embedded twin: `npm start` has no autoscaler (its worker count is `LIFELINE_WORKERS`), so
 * nothing is published; the reports are kept, checked as on AWS, for tests to read.
 */
export class MemoryFleetMetrics implements FleetMetrics {
  readonly reports: FleetReport[] = [];

  report(sample: FleetReport): void {
    this.reports.push(checkFleetReport(sample));
  }

  /** The last report, or undefined before the first. */
  get last(): FleetReport | undefined {
    return this.reports.at(-1);
  }
}
