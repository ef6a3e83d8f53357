import { Aws, Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, GraphWidgetView, type IAlarm, type IMetric, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { lifelineMetrics, linkStates, protocols } from './lifeline-metrics';

export interface LifelineDashboardProps {
  readonly connectQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly workflows?: Record<string, IStateMachine>;
  readonly alarms?: IAlarm[];
  /** The workers' autoscaling input: utilisation (%) against its target, links held and capacity. */
  readonly fleet?: { utilisation: IMetric; linksHeld: Metric; capacity: Metric };
  /** Default: CloudFormation names it. */
  readonly dashboardName?: string;
}

/** The picture DESIGN.md asks for: links by state, reconnects, time to reconnect and detect, fatal errors by code. */
export class LifelineDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** Console address of the dashboard, for the stack output. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LifelineDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: IMetric[], options: { stacked?: boolean; right?: IMetric[] } = {}) =>
      new GraphWidget({ title, left, right: options.right ?? [], width: 12, height: 6, stacked: options.stacked ?? false, view: GraphWidgetView.TIME_SERIES });
    const stats = ['p50', 'p90', 'p99'];
    this.dashboard.addWidgets(
      graph('Links by state (fleet)', linkStates.map((state) => lifelineMetrics.linksInState(state)), { stacked: true }),
      graph('Reconnects / minute', [lifelineMetrics.reconnects()], { right: [lifelineMetrics.liveWorkers()] }),
    );
    this.dashboard.addWidgets(
      graph('Time to reconnect (ms)', protocols.flatMap((p) => stats.map((s) => lifelineMetrics.timeToReconnect(p, s)))),
      graph('Time to detect a dead socket (ms)', protocols.flatMap((p) => stats.map((s) => lifelineMetrics.timeToDetect(p, s)))),
    );
    this.dashboard.addWidgets(
      graph('Fatal errors by code (5 min)', [lifelineMetrics.fatalErrorsByCode()]),
      graph('Overdue retries, sink failures', [lifelineMetrics.overdueRetries(), lifelineMetrics.sinkFailures()]),
    );
    const workflows = Object.entries(props.workflows ?? {});
    this.dashboard.addWidgets(
      graph('Connect queue', [
        props.connectQueue.metricApproximateNumberOfMessagesVisible({ label: 'waiting' }),
        props.connectQueue.metricApproximateAgeOfOldestMessage({ label: 'oldest (s)' }),
      ], { right: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })] }),
      graph('Workflow executions', workflows.flatMap(([name, m]) => [m.metricStarted({ label: `${name} started` }), m.metricFailed({ label: `${name} failed` })])),
    );
    if (props.fleet) {
      this.dashboard.addWidgets(
        graph('Fleet utilisation (%): what autoscaling tracks', [props.fleet.utilisation]),
        graph('Links held, fleet capacity', [props.fleet.linksHeld.with({ label: 'links held' }), props.fleet.capacity.with({ label: 'capacity' })]),
      );
    }
    if (props.alarms?.length) this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24 }));
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
