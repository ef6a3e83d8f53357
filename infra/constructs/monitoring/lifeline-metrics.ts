import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { LINK_PROTOCOLS, LINK_STATES, type LinkProtocol, type LinkStateName } from '../../../shared/domain';
import type { MetricName } from '../../../shared/ports';

/**
 * The application's metrics as CloudWatch sees them. EMF gives each point exactly the dimension
 * set it was put with, so every metric here names the set its emitter uses (shared/ports/metrics.ts,
 * shared/app/sweep-links.ts, shared/app/perform-effects.ts, functions/worker).
 */
export const namespace = 'Lifeline';
export const linkStates: readonly LinkStateName[] = LINK_STATES;
export const protocols = LINK_PROTOCOLS;
const minute = Duration.minutes(1);

const metric = (metricName: MetricName, dimensionsMap: Record<string, string>, statistic: string, label?: string, period = minute): Metric =>
  new Metric({ namespace, metricName, dimensionsMap, statistic, period, ...(label ? { label } : {}) });

/** Sums one metric over both protocols; a protocol with no traffic counts as 0, not as missing. */
const acrossProtocols = (metricName: MetricName, label: string, period = minute): MathExpression =>
  new MathExpression({
    expression: protocols.map((_, i) => `FILL(p${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(protocols.map((protocol, i) => [`p${i}`, metric(metricName, { Protocol: protocol }, 'Sum', undefined, period)])),
    label,
    period,
  });

export const lifelineMetrics = {
  /** The sweeper's fleet-wide count (one point a minute); workers report theirs with a WorkerId. */
  linksInState: (state: LinkStateName): Metric => metric('LinksByState', { State: state }, 'Maximum', state),
  /** Backoff links whose retry is overdue by more than a minute (the sweeper re-announced them). */
  overdueRetries: (): Metric => metric('LinksByState', { State: 'backoff', Overdue: 'true' }, 'Maximum', 'overdue retries'),
  /** Workers and the sweeper both report it; the sweeper's 0 is what makes "none alive" visible. */
  liveWorkers: (): Metric => metric('LiveWorkers', {}, 'Maximum', 'live workers'),
  reconnects: (): MathExpression => acrossProtocols('Reconnects', 'reconnects'),
  sinkFailures: (period = Duration.minutes(5)): MathExpression => acrossProtocols('SinkFailures', 'sink failures', period),
  timeToReconnect: (protocol: LinkProtocol, statistic: string): Metric =>
    metric('TimeToReconnectMs', { Protocol: protocol }, statistic, `${protocol} ${statistic}`),
  timeToDetect: (protocol: LinkProtocol, statistic: string): Metric =>
    metric('TimeToDetectMs', { Protocol: protocol }, statistic, `${protocol} ${statistic}`),
  /** Fatal errors by code: codes are open-ended, so the dashboard searches rather than lists them. */
  fatalErrorsByCode: (): IMetric =>
    new MathExpression({
      expression: `SEARCH('{${namespace},Code,State} MetricName="FatalErrors"', 'Sum', 300)`,
      usingMetrics: {},
      label: '',
      period: Duration.minutes(5),
    }),
  /**
   * Links revoked per period, whatever the code: a Metrics Insights query, which an alarm may
   * evaluate (a SEARCH may not), so a new revoking code needs no change here.
   */
  revocations: (period = Duration.minutes(5)): MathExpression =>
    new MathExpression({
      expression: `SELECT SUM(FatalErrors) FROM SCHEMA("${namespace}", Code, State) WHERE State = 'revoked'`,
      usingMetrics: {},
      label: 'revocations',
      period,
    }),
};
