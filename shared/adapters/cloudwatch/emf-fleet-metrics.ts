import { checkFleetReport, type FleetMetrics, type FleetReport } from '../../ports';

/** The names the scaling policy and its alarms read (infra/constructs/worker-scaling.ts). */
export const FLEET_METRICS = {
  namespace: 'Lifeline',
  dimension: 'Fleet',
  linksHeld: 'LinksHeld',
  capacity: 'Capacity',
} as const;

export interface EmfFleetMetricsOptions {
  /** Where the line goes: stdout on Fargate, where the awslogs driver hands it to CloudWatch Logs. */
  write(line: string): void;
  /**
   * The `Fleet` dimension's value: the links table's name, which every worker of a deployment
   * has and the template knows, so two deployments in one account never add up.
   */
  fleet: string;
  now?: () => number;
}

// A Slack token shape (as shared/adapters/log/redact.ts knows them): a fleet name never is one.
const TOKEN_LIKE = /(?:xox[abepr]|xapp)-/i;

/**
 * Fleet metrics as one CloudWatch embedded metric format line per report: `LinksHeld` and
 * `Capacity` under the one `Fleet` dimension, so CloudWatch keeps two metrics for the whole fleet
 * (not two per task) and their Sums over a minute add up every worker that reported in it. No SDK
 * call: CloudWatch Logs extracts the metrics from the log line, and a worker that dies leaves
 * nothing to flush.
 */
export class EmfFleetMetrics implements FleetMetrics {
  private readonly write: (line: string) => void;
  private readonly fleet: string;
  private readonly now: () => number;

  constructor(options: EmfFleetMetricsOptions) {
    const fleet = options.fleet.trim();
    if (fleet === '' || fleet.length > 255) throw new RangeError('fleet metrics: the fleet name must be 1 to 255 characters (CloudWatch dimension value)');
    // Refused without echoing it: whatever was passed by mistake stays out of the error too.
    if (TOKEN_LIKE.test(fleet)) throw new RangeError('fleet metrics: the fleet name looks like a Slack token; pass the table name');
    this.write = options.write;
    this.fleet = fleet;
    this.now = options.now ?? Date.now;
  }

  report(sample: FleetReport): void {
    const { linksHeld, capacity } = checkFleetReport(sample);
    const { namespace, dimension, linksHeld: held, capacity: cap } = FLEET_METRICS;
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[dimension]], Metrics: [{ Name: held, Unit: 'Count' }, { Name: cap, Unit: 'Count' }] }],
        },
        [dimension]: this.fleet,
        [held]: linksHeld,
        [cap]: capacity,
      }),
    );
  }
}
