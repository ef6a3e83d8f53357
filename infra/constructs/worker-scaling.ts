import { Duration, Stack } from 'aws-cdk-lib';
import { CfnScalingPolicy, ScalableTarget, ServiceNamespace } from 'aws-cdk-lib/aws-applicationautoscaling';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { FargateService, ICluster } from 'aws-cdk-lib/aws-ecs';
import { Role } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FLEET_METRICS } from '../../shared/adapters/cloudwatch';

/** The fleet's bounds and target; each has a default (README, Configuration: `workerMinCount`, `workerMaxCount`, `workerTargetPercent`). */
export interface WorkerScalingSettings {
  /** Workers at least. Default 2: one can die or drain while the other holds links. */
  readonly minCount?: number;
  /** Workers at most. Default 10 (35,000 links at the target with 5,000 per worker). */
  readonly maxCount?: number;
  /** Fleet utilisation the policy holds, in percent of the fleet's capacity. Default 70. */
  readonly targetPercent?: number;
}

export interface WorkerScalingProps extends WorkerScalingSettings {
  readonly cluster: ICluster;
  readonly service: FargateService;
  /** The `Fleet` dimension's value the workers publish under: the links table's name. */
  readonly fleet: string;
  /** Where the scaling alarms notify (the stack's alarm topic). */
  readonly topic: ITopic;
}

export const scalingDefaults = { minCount: 2, maxCount: 10, targetPercent: 70 } as const;

/**
 * Scale-out is quick, scale-in slow. Out: a task added counts at once for the next decision, so
 * 2 minutes is enough for it to start and report. In: each step moves one worker's links
 * make-before-break (≤ 20 s drain, 120 s stop limit) and the survivors need a report period to
 * show what they took; 10 minutes also keeps a daily dip from bouncing the fleet.
 */
export const scalingCooldowns = { scaleOut: Duration.minutes(2), scaleIn: Duration.minutes(10) } as const;

/**
 * ECS Service Auto Scaling for the workers: target tracking on the fleet's utilisation,
 * `100 × Sum(LinksHeld) / Sum(Capacity)` over a minute, published by the workers as EMF under
 * the one `Fleet` dimension (`EmfFleetMetrics`), between `minCount` and `maxCount` tasks, and
 * the alarms that say the policy can no longer do its job: at its maximum, the fleet nearly
 * full, or the metric missing. ARCHITECTURE.md, "Scaling the fleet", has the reasoning.
 */
export class WorkerScaling extends Construct {
  readonly target: ScalableTarget;
  readonly policy: CfnScalingPolicy;
  readonly alarms: Alarm[] = [];
  /** What the policy tracks, and its two sums, for the dashboard. */
  readonly utilisation: MathExpression;
  readonly linksHeld: Metric;
  readonly capacity: Metric;
  readonly minCount: number;
  readonly maxCount: number;
  readonly targetPercent: number;

  constructor(scope: Construct, id: string, props: WorkerScalingProps) {
    super(scope, id);
    const { minCount, maxCount, targetPercent } = checkScalingSettings(props);
    this.minCount = minCount;
    this.maxCount = maxCount;
    this.targetPercent = targetPercent;
    this.target = new ScalableTarget(this, 'Target', {
      serviceNamespace: ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.clusterName}/${props.service.serviceName}`,
      minCapacity: minCount,
      maxCapacity: maxCount,
      // ECS's service-linked role for Application Auto Scaling (as `autoScaleTaskCount` uses): no role of ours to grant.
      role: Role.fromRoleArn(this, 'ServiceLinkedRole', Stack.of(this).formatArn({
        region: '',
        service: 'iam',
        resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
        resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
      })),
    });

    const stat = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metricStat: { metric: { namespace: FLEET_METRICS.namespace, metricName, dimensions: [{ name: FLEET_METRICS.dimension, value: props.fleet }] }, stat: 'Sum' },
    });
    // The CDK's target tracking construct takes a single metric only, so the policy is written out (L1) with its metric math.
    this.policy = new CfnScalingPolicy(this, 'TrackUtilisation', {
      policyName: 'lifeline-fleet-utilisation',
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: targetPercent,
        scaleOutCooldown: scalingCooldowns.scaleOut.toSeconds(),
        scaleInCooldown: scalingCooldowns.scaleIn.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            stat('held', FLEET_METRICS.linksHeld),
            stat('capacity', FLEET_METRICS.capacity),
            { id: 'utilisation', expression: UTILISATION_EXPRESSION, label: 'Fleet utilisation (%)', returnData: true },
          ],
        },
      },
    });

    const fleetMetric = (metricName: string, statistic: string) =>
      new Metric({ namespace: FLEET_METRICS.namespace, metricName, dimensionsMap: { [FLEET_METRICS.dimension]: props.fleet }, statistic, period: Duration.minutes(1) });
    this.linksHeld = fleetMetric(FLEET_METRICS.linksHeld, 'Sum');
    this.capacity = fleetMetric(FLEET_METRICS.capacity, 'Sum');
    const utilisation = new MathExpression({
      expression: UTILISATION_EXPRESSION,
      usingMetrics: { held: this.linksHeld, capacity: this.capacity },
      label: 'fleet utilisation (%)',
      period: Duration.minutes(1),
    });
    this.utilisation = utilisation;
    const desiredTasks = new Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'DesiredTaskCount',
      dimensionsMap: { ClusterName: props.cluster.clusterName, ServiceName: props.service.serviceName },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    const add = (alarmId: string, metric: IMetric, options: { description: string; threshold: number; evaluationPeriods: number; comparisonOperator: ComparisonOperator; treatMissingData: TreatMissingData }) => {
      const alarm = new Alarm(this, alarmId, { metric, alarmDescription: options.description, ...options });
      const action = new SnsAction(props.topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };
    // A fixed fleet (maximum = minimum) is always at its maximum: nothing to say.
    if (maxCount > minCount) add('AtMaxWorkers', desiredTasks, {
      description: `The workers have been at their maximum (${maxCount}, context workerMaxCount) for 15 minutes: the fleet cannot grow; raise workerMaxCount before it is full.`,
      threshold: maxCount,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    add('FleetNearlyFull', utilisation, {
      description: `The workers have held over ${NEARLY_FULL_PERCENT} % of their capacity for 5 minutes: scaling is not keeping up (at its maximum, or tasks fail to start); links beyond capacity wait in the connect queue.`,
      threshold: NEARLY_FULL_PERCENT,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    add('FleetMetricMissing', fleetMetric(FLEET_METRICS.capacity, 'SampleCount'), {
      description: 'No worker has reported LinksHeld/Capacity for 5 minutes: the scaling policy is blind and holds the fleet where it is (no worker alive, or its metric lines are not reaching CloudWatch).',
      threshold: 1,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}

/** Percent, so the target reads as one (70, not 0.7); a ratio of Sums stays right whichever workers reported in the minute. */
export const UTILISATION_EXPRESSION = '100 * held / capacity';
/** Above this the fleet is nearly full: well over the target, so reaching it means scaling is not keeping up. */
export const NEARLY_FULL_PERCENT = 90;

/** The settings with their defaults, or a `RangeError` naming the context key that is wrong. */
export function checkScalingSettings(settings: WorkerScalingSettings): Required<WorkerScalingSettings> {
  const minCount = settings.minCount ?? scalingDefaults.minCount;
  const maxCount = settings.maxCount ?? scalingDefaults.maxCount;
  const targetPercent = settings.targetPercent ?? scalingDefaults.targetPercent;
  if (!Number.isInteger(minCount) || minCount < 2) throw new RangeError(`workerMinCount must be a whole number ≥ 2 (a worker drains to a peer), got ${minCount}`);
  if (!Number.isInteger(maxCount) || maxCount < minCount) throw new RangeError(`workerMaxCount must be a whole number ≥ workerMinCount (${minCount}), got ${maxCount}`);
  if (!Number.isInteger(targetPercent) || targetPercent < 10 || targetPercent >= NEARLY_FULL_PERCENT) {
    throw new RangeError(`workerTargetPercent must be a whole number from 10 to ${NEARLY_FULL_PERCENT - 1}, got ${targetPercent}`);
  }
  return { minCount, maxCount, targetPercent };
}
