import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLifeline } from '../../infra/lifeline-app';
import { lifelineSettingsFromContext } from '../../infra/lifeline-context';
import { NEARLY_FULL_PERCENT } from '../../infra/constructs/worker-scaling';
import { FLEET_METRICS } from '../../shared/adapters/cloudwatch';
import { CDK_JSON_CONTEXT, onlyResource, resourcesOf, synthLifeline, TEST_SECRET_ARN } from './synth';

type Query = { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Stat: string; Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }> } } };

const policyOf = (template: Template) => {
  const { properties } = onlyResource(template, 'AWS::ApplicationAutoScaling::ScalingPolicy');
  return properties as {
    PolicyType: string;
    ScalingTargetId: unknown;
    TargetTrackingScalingPolicyConfiguration: { TargetValue: number; ScaleInCooldown: number; ScaleOutCooldown: number; DisableScaleIn?: boolean; CustomizedMetricSpecification: { Metrics: Query[] } };
  };
};
const containerOf = (template: Template) => {
  const { properties } = onlyResource(template, 'AWS::ECS::TaskDefinition');
  const [container] = properties.ContainerDefinitions as Array<{ StopTimeout: number; Environment: Array<{ Name: string; Value: unknown }> }>;
  return container!;
};
const alarmsOf = (template: Template) =>
  Object.entries(resourcesOf(template))
    .filter(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.startsWith('WorkerScaling'))
    .map(([id, r]) => ({ id, ...(r.Properties as AlarmProperties) }));
type AlarmProperties = { AlarmActions?: unknown; OKActions?: unknown; Dimensions?: unknown; Threshold?: number; Metrics?: Query[] } & Record<string, unknown>;

describe('worker autoscaling (template)', () => {
  let template: Template;
  let tableNameRef: unknown;
  beforeAll(() => {
    template = synthLifeline().orchestrator;
    // The table's name as the worker is given it: the fleet dimension must be the same value.
    tableNameRef = containerOf(template).Environment.find((e) => e.Name === 'LIFELINE_TABLE_NAME')!.Value;
  });

  it('has no fixed DesiredCount: the scalable target owns it, between 2 and 10 by default', () => {
    const service = onlyResource(template, 'AWS::ECS::Service');
    expect(service.properties).not.toHaveProperty('DesiredCount');
    const target = onlyResource(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target.properties).toMatchObject({ ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 10 });
    // It scales this service: the resource id names the cluster and the service.
    expect(JSON.stringify(target.properties.ResourceId)).toContain(service.id);
    expect(policyOf(template).ScalingTargetId).toEqual({ Ref: target.id });
  });

  it('tracks 70 % fleet utilisation: Sum(LinksHeld) / Sum(Capacity) under the Fleet dimension the workers publish, no worker dimension', () => {
    const policy = policyOf(template);
    expect(policy.PolicyType).toBe('TargetTrackingScaling');
    const config = policy.TargetTrackingScalingPolicyConfiguration;
    expect(config.TargetValue).toBe(70);
    expect(config.DisableScaleIn).not.toBe(true);
    const queries = config.CustomizedMetricSpecification.Metrics;
    const byId = Object.fromEntries(queries.map((q) => [q.Id, q]));
    for (const [id, name] of [['held', FLEET_METRICS.linksHeld], ['capacity', FLEET_METRICS.capacity]] as const) {
      expect(byId[id]).toMatchObject({ ReturnData: false, MetricStat: { Stat: 'Sum', Metric: { Namespace: FLEET_METRICS.namespace, MetricName: name } } });
      expect(byId[id]!.MetricStat!.Metric.Dimensions).toEqual([{ Name: FLEET_METRICS.dimension, Value: tableNameRef }]);
    }
    // Exactly one series comes back, and it is the ratio in percent.
    expect(queries.filter((q) => q.ReturnData !== false)).toEqual([{ Id: 'utilisation', Expression: '100 * held / capacity', Label: expect.any(String), ReturnData: true }]);
  });

  it('scales in slower than out, and a scale-in drains within the stop timeout', () => {
    const config = policyOf(template).TargetTrackingScalingPolicyConfiguration;
    expect(config.ScaleOutCooldown).toBe(120);
    expect(config.ScaleInCooldown).toBe(600);
    const container = containerOf(template);
    const drainMs = Number(container.Environment.find((e) => e.Name === 'LIFELINE_DRAIN_TIMEOUT_MS')!.Value);
    // SIGTERM on scale-in, SIGKILL StopTimeout later (Fargate's ceiling, 120 s): the drain, the socket closes and the log flush fit well inside.
    expect(container.StopTimeout).toBe(120);
    expect(drainMs / 1000 + 25).toBeLessThanOrEqual(container.StopTimeout);
    // The next scale-in waits until the last one's links moved and the survivors reported them.
    expect(config.ScaleInCooldown).toBeGreaterThan(container.StopTimeout + 60);
  });

  it('alarms, on the alarm topic, when at the maximum, nearly full, or the metric is missing', () => {
    const alarms = alarmsOf(template);
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    expect(alarms.map((a) => a.id.replace(/^WorkerScaling/, '').replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['AtMaxWorkers', 'FleetMetricMissing', 'FleetNearlyFull']);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic.id }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic.id }]);
    }
    const find = (name: string) => alarms.find((a) => a.id.startsWith(`WorkerScaling${name}`))!;
    expect(find('AtMaxWorkers')).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount', Threshold: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    // Silence is the failure here: no worker reporting leaves the policy blind.
    expect(find('FleetMetricMissing')).toMatchObject({ MetricName: 'Capacity', Statistic: 'SampleCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    expect(find('FleetMetricMissing').Dimensions).toEqual([{ Name: 'Fleet', Value: tableNameRef }]);
    const nearlyFull = find('FleetNearlyFull');
    expect(nearlyFull.Threshold).toBe(NEARLY_FULL_PERCENT);
    expect(nearlyFull.Metrics!.find((m) => m.ReturnData !== false)!.Expression).toBe('100 * held / capacity');
  });

  it('takes its bounds and target from context (workerMinCount, workerMaxCount, workerTargetPercent)', () => {
    const app = new App({
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], nag: 'false', slackAppId: 'A0123ABCD', slackSecretArn: TEST_SECRET_ARN, workerMinCount: '3', workerMaxCount: '40', workerTargetPercent: '60' },
    });
    const { orchestrator } = buildLifeline(app, lifelineSettingsFromContext(app));
    const scaled = Template.fromStack(orchestrator);
    expect(onlyResource(scaled, 'AWS::ApplicationAutoScaling::ScalableTarget').properties).toMatchObject({ MinCapacity: 3, MaxCapacity: 40 });
    expect(policyOf(scaled).TargetTrackingScalingPolicyConfiguration.TargetValue).toBe(60);
    expect(alarmsOf(scaled).find((a) => a.id.startsWith('WorkerScalingAtMaxWorkers'))!.Threshold).toBe(40);
  });

  it('a fixed fleet (maximum = minimum) has no at-maximum alarm, which would never clear', () => {
    const fixed = synthLifeline({ workers: { minCount: 3, maxCount: 3 } }).orchestrator;
    expect(onlyResource(fixed, 'AWS::ApplicationAutoScaling::ScalableTarget').properties).toMatchObject({ MinCapacity: 3, MaxCapacity: 3 });
    expect(alarmsOf(fixed).map((a) => a.id).filter((id) => id.includes('AtMaxWorkers'))).toEqual([]);
    expect(alarmsOf(fixed)).toHaveLength(2);
  });

  it.each([
    [{ minCount: 1 }, /workerMinCount must be a whole number ≥ 2/],
    [{ minCount: 4, maxCount: 3 }, /workerMaxCount must be a whole number ≥ workerMinCount \(4\)/],
    [{ targetPercent: 95 }, /workerTargetPercent must be a whole number from 10 to 89/],
    [{ targetPercent: 0 }, /workerTargetPercent/],
  ])('refuses bounds that cannot work: %o', (workers, message) => {
    expect(() => synthLifeline({ workers })).toThrow(message);
  });

  it('refuses a drain that would not finish inside the 120 s stop timeout, and takes the longest that does', () => {
    expect(() => synthLifeline({ workers: { drainTimeout: Duration.seconds(96) } })).toThrow(/drainTimeout 96 s leaves no room to stop within Fargate's 120 s/);
    const container = containerOf(synthLifeline({ workers: { drainTimeout: Duration.seconds(95) } }).orchestrator);
    expect(container.Environment.find((e) => e.Name === 'LIFELINE_DRAIN_TIMEOUT_MS')!.Value).toBe('95000');
    expect(container.StopTimeout).toBe(120);
  });

  it('refuses the retired workerCount with a message naming its replacements', () => {
    const app = new App({ context: { slackAppId: 'A0123ABCD', slackSecretArn: TEST_SECRET_ARN, workerCount: '4' } });
    expect(() => lifelineSettingsFromContext(app)).toThrow(/workerCount is no longer read.*workerMinCount.*workerMaxCount/);
  });
});
