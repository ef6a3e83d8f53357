import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, synthLifeline } from './synth';

type Alarm = Record<string, unknown> & { Metrics?: Array<Record<string, unknown>>; MetricName?: string };

describe('alarms and dashboard', () => {
  const { orchestrator: template } = synthLifeline({ alarmEmail: 'oncall@example.com' });
  const alarms = Object.fromEntries(
    Object.entries(resourcesOf(template))
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => [id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''), r.Properties as Alarm]),
  );
  const topic = onlyResource(template, 'AWS::SNS::Topic', 'AlarmsTopic');

  it('has every alarm DESIGN.md asks for', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'ConnectDeadLetters',
      'HttpErrors',
      'LinksStuckInBackoff',
      'NoLiveWorker',
      'ReactivationWorkflowFailures',
      'RestartWorkflowFailures',
      'RevocationSpike',
      'SinkFailures',
      'SweeperErrors',
      'WorkerScalingAtMaxWorkers',
      'WorkerScalingFleetMetricMissing',
      'WorkerScalingFleetNearlyFull',
      'WorkflowTasksErrors',
    ]);
  });

  it('notifies the topic on alarm and on recovery, and subscribes the given email', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic.id }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic.id }]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topic.id } });
  });

  type Stat = { Metric?: { MetricName: string; Namespace?: string; Dimensions?: Array<{ Name: string; Value: string }> }; Stat?: string; Period?: number };
  // A single-metric alarm renders either as top-level fields or, with a label, as one MetricStat.
  const stat = (alarm: Alarm): Stat =>
    alarm.MetricName
      ? { Metric: { MetricName: alarm.MetricName, Namespace: alarm.Namespace as string, Dimensions: alarm.Dimensions as never }, Stat: alarm.Statistic as string, Period: alarm.Period as number }
      : ((alarm.Metrics?.[0]?.MetricStat ?? {}) as Stat);
  const dimensions = (alarm: Alarm) => Object.fromEntries((stat(alarm).Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));

  it('calls links stuck when their retry is overdue for five minutes straight', () => {
    const alarm = alarms.LinksStuckInBackoff!;
    expect(stat(alarm).Metric?.MetricName).toBe('LinksByState');
    expect(dimensions(alarm)).toEqual({ State: 'backoff', Overdue: 'true' });
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
  });

  it('treats silence as no live worker', () => {
    const alarm = alarms.NoLiveWorker!;
    expect(stat(alarm)).toMatchObject({ Metric: { MetricName: 'LiveWorkers' }, Stat: 'Maximum', Period: 60 });
    expect(dimensions(alarm)).toEqual({});
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
  });

  it('counts revocations of any code with a Metrics Insights query', () => {
    const alarm = alarms.RevocationSpike!;
    expect(alarm.Metrics?.[0]).toMatchObject({ Expression: expect.stringMatching(/SELECT SUM\(FatalErrors\) FROM SCHEMA\("Lifeline", Code, State\) WHERE State = 'revoked'/), Period: 300 });
    expect(alarm).toMatchObject({ Threshold: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('sums sink failures over both protocols', () => {
    const alarm = alarms.SinkFailures!;
    const expression = alarm.Metrics?.find((m) => m.Expression)?.Expression;
    expect(expression).toBe('FILL(p0, 0) + FILL(p1, 0)');
    const protocols = (alarm.Metrics ?? []).flatMap((m) => ((m.MetricStat as { Metric?: { Dimensions?: Array<{ Value: string }> } })?.Metric?.Dimensions ?? []).map((d) => d.Value));
    expect(protocols.sort()).toEqual(['rtm', 'socket']);
    expect(alarm).toMatchObject({ Threshold: 1 });
  });

  it('alarms on a non-empty dead-letter queue, failed workflows and Lambda errors', () => {
    const dlq = onlyResource(template, 'AWS::SQS::Queue', 'ConnectQueueDeadLetters');
    expect(stat(alarms.ConnectDeadLetters!).Metric).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq.id, 'QueueName'] } }] });
    for (const name of ['RestartWorkflowFailures', 'ReactivationWorkflowFailures']) {
      const metrics = (alarms[name]!.Metrics ?? []).map((m) => (m.MetricStat as { Metric?: { MetricName: string } } | undefined)?.Metric?.MetricName).filter(Boolean);
      expect(metrics.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
      expect(alarms[name]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
    for (const name of ['HttpErrors', 'WorkflowTasksErrors', 'SweeperErrors']) {
      expect(stat(alarms[name]!)).toMatchObject({ Metric: { MetricName: 'Errors', Namespace: 'AWS/Lambda' }, Stat: 'Sum' });
      expect(alarms[name]).toMatchObject({ Threshold: 1 });
    }
  });

  it('draws links by state, reconnects, time to reconnect and detect, and fatal errors by code', () => {
    const body = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').properties.DashboardBody);
    for (const title of ['Links by state (fleet)', 'Reconnects / minute', 'Time to reconnect (ms)', 'Time to detect a dead socket (ms)', 'Fatal errors by code (5 min)']) {
      expect(body).toContain(title);
    }
    for (const state of ['connecting', 'open', 'backoff', 'inactive', 'revoked']) expect(body).toContain(`\\"State\\",\\"${state}\\"`);
    expect(body).toContain('TimeToReconnectMs');
    expect(body).toContain('TimeToDetectMs');
    expect(body).toContain('SEARCH(');
  });

  it('draws what autoscaling tracks: the utilisation expression, and links held against capacity under the Fleet dimension', () => {
    const body = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').properties.DashboardBody);
    expect(body).toContain('Fleet utilisation (%): what autoscaling tracks');
    expect(body).toContain('100 * held / capacity');
    for (const name of ['LinksHeld', 'Capacity']) expect(body).toContain(`\\"Lifeline\\",\\"${name}\\",\\"Fleet\\"`);
  });
});
