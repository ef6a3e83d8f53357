import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { lifelineMetrics } from './lifeline-metrics';

export interface AlarmThresholds {
  /** Overdue backoff retries, sustained for `stuckMinutes`. Default 1. */
  readonly stuckRetries: number;
  readonly stuckMinutes: number;
  /** Links revoked within 5 minutes. Default 10: one uninstall is normal, a wave is not. */
  readonly revocationsPer5Min: number;
  /** Sink failures within 5 minutes. Default 1: each is a Slack event not yet delivered. */
  readonly sinkFailuresPer5Min: number;
}

export const defaultThresholds: AlarmThresholds = { stuckRetries: 1, stuckMinutes: 5, revocationsPer5Min: 10, sinkFailuresPer5Min: 1 };

export interface LifelineAlarmsProps {
  readonly deadLetterQueue: IQueue;
  /** Every Lifeline Lambda, by a short name used in the alarm's id. */
  readonly functions: Record<string, IFunction>;
  /** Workflows whose failed, timed-out or aborted executions alarm, by name. */
  readonly workflows?: Record<string, IStateMachine>;
  /** Subscribed to the topic when given (confirm the email AWS sends). */
  readonly email?: string;
  readonly thresholds?: Partial<AlarmThresholds>;
}

/** The alarms of DESIGN.md's Operations section, all notifying one SNS topic (alarm and recovery). */
export class LifelineAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: LifelineAlarmsProps) {
    super(scope, id);
    const limits = { ...defaultThresholds, ...props.thresholds };
    this.topic = new Topic(this, 'Topic', { displayName: 'Lifeline alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const fiveMinutes = Duration.minutes(5);

    this.add('LinksStuckInBackoff', lifelineMetrics.overdueRetries(), {
      description: `Backoff retries overdue by over a minute for ${limits.stuckMinutes} minutes, even after the sweeper re-announced them: the restart workflow is not running them.`,
      threshold: limits.stuckRetries,
      evaluationPeriods: limits.stuckMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.add('NoLiveWorker', lifelineMetrics.liveWorkers(), {
      description: 'No worker is alive: no link has a socket. Silence counts too (neither workers nor the sweeper report).',
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.add('RevocationSpike', lifelineMetrics.revocations(fiveMinutes), {
      description: `At least ${limits.revocationsPer5Min} links revoked within 5 minutes (uninstalls, revoked tokens): check the Slack app.`,
      threshold: limits.revocationsPer5Min,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.add('SinkFailures', lifelineMetrics.sinkFailures(fiveMinutes), {
      description: 'The event sink (EventBridge) refused Slack events; Socket Mode envelopes are redelivered, RTM events may be late.',
      threshold: limits.sinkFailuresPer5Min,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.add('ConnectDeadLetters', props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), {
      description: 'Connect commands were dead-lettered: workers could not process them. Inspect, fix, redrive.',
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), {
        description: `The ${name} Lambda failed.`,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    for (const [name, machine] of Object.entries(props.workflows ?? {})) {
      const failures = new MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: machine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
          timedOut: machine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
          aborted: machine.metricAborted({ period: fiveMinutes, statistic: 'Sum' }),
        },
        label: `${name} failed executions`,
        period: fiveMinutes,
      });
      this.add(`${name}WorkflowFailures`, failures, {
        description: `The ${name} workflow had executions fail, time out or abort: links may be left without a retry.`,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
  }

  private add(
    id: string,
    metric: IMetric,
    options: { description: string; threshold: number; evaluationPeriods: number; treatMissingData: TreatMissingData; comparisonOperator?: ComparisonOperator },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: options.description,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
