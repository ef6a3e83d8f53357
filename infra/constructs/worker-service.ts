import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  AwsLogDriverMode,
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { envKeys } from '../../shared/config/env-keys';
import { slackAppIdentityEnvironment, slackAppSecret, workerSlackSecrets, type SlackAppSettings } from './slack-app-secret';
import { grantTable, tableActions } from './table-access';
import { grantTokenKey } from './token-key';
import { grantInvokeBot } from './bot-function';

export interface WorkerServiceProps {
  /** The directory holding the worker's `Dockerfile` (the repository root). */
  readonly imageDirectory: string;
  readonly vpc: IVpc;
  readonly securityGroup: ISecurityGroup;
  readonly table: ITable;
  /** The table's key (used through DynamoDB only). */
  readonly tableKey: IKey;
  /** The key wrapping Slack tokens: workers open them to connect, and seal a renewed pair. */
  readonly tokenKey: IKey;
  /** A fixed name for the task role: the token key's policy names this role. */
  readonly taskRoleName?: string;
  readonly connectQueue: IQueue;
  readonly eventBus: IEventBus;
  /** The restart workflow: workers report connect outcomes to it and schedule retries on it. */
  readonly restart: IStateMachine;
  /** The reactivation workflow: its connect is answered by a worker too (task token). */
  readonly reactivation: IStateMachine;
  /**
   * The Slack app: workers open its installations' tokens, renew rotating ones with its client
   * credentials, and connect Socket Mode slots with its app-level token.
   */
  readonly slack: SlackAppSettings;
  /** The bot's Lambda, when there is one: the worker invokes it with every payload (and may invoke nothing else). */
  readonly botFunctionArn?: string;
  /** Task size. Default 0.25 vCPU / 512 MiB: thousands of idle sockets at ~11 KB each. */
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
  /** Links per worker. Default the worker's own (5,000). */
  readonly capacity?: number;
  /** How long a drain waits for peers on SIGTERM. Default 20 s, the worker's default. */
  readonly drainTimeout?: Duration;
  readonly logRetention?: RetentionDays;
}

/** Time beyond the drain for closing sockets, deregistering and flushing logs before SIGKILL. */
const stopMargin = Duration.seconds(25);
/**
 * Fargate's ceiling for `stopTimeout`, and ours: SIGKILL comes this long after SIGTERM (a
 * deployment or a scale-in), so a drain slowed by a busy store still finishes. A worker that
 * drained exits at once, so the ceiling costs nothing.
 */
export const maxStopTimeoutSeconds = 120;

/**
 * The workers: a Fargate service on Graviton, Container Insights on. Deployments start new tasks
 * before stopping old ones (200% max, 100% min), so a rollout drains links make-before-break to
 * tasks that are already up, and a failing rollout rolls itself back (circuit breaker).
 */
export class WorkerService extends Construct {
  readonly cluster: Cluster;
  readonly service: FargateService;
  readonly taskDefinition: FargateTaskDefinition;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    const drainTimeout = props.drainTimeout ?? Duration.seconds(20);
    if (drainTimeout.toSeconds() + stopMargin.toSeconds() > maxStopTimeoutSeconds) {
      throw new RangeError(`drainTimeout ${drainTimeout.toSeconds()} s leaves no room to stop within Fargate's ${maxStopTimeoutSeconds} s`);
    }
    this.cluster = new Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const role = new Role(this, 'TaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Lifeline workers: the table, the token key, the connect queue, the workflows, the event bus',
      ...(props.taskRoleName ? { roleName: props.taskRoleName } : {}),
    });
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      taskRole: role,
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.ARM64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The worker writes one file, its liveness beacon (/tmp/lifeline-alive): /tmp is a task
    // volume, writable by the image's `node` user (the Dockerfile declares it), the rest read-only.
    this.taskDefinition.addVolume({ name: 'tmp' });
    const container = this.taskDefinition.addContainer('worker', {
      image: ContainerImage.fromAsset(props.imageDirectory, { platform: Platform.LINUX_ARM64 }),
      // Non-blocking: a CloudWatch Logs stall must never block stdout and with it the heartbeat.
      logging: LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup: this.logGroup, mode: AwsLogDriverMode.NON_BLOCKING, maxBufferSize: Size.mebibytes(25) }),
      environment: {
        [envKeys.mode]: 'aws',
        [envKeys.tableName]: props.table.tableName,
        [envKeys.keyId]: props.tokenKey.keyArn,
        [envKeys.connectQueueUrl]: props.connectQueue.queueUrl,
        [envKeys.eventBusName]: props.eventBus.eventBusName,
        ...(props.botFunctionArn ? { [envKeys.botFunctionArn]: props.botFunctionArn } : {}),
        [envKeys.drainTimeoutMs]: String(drainTimeout.toMilliseconds()),
        ...(props.capacity ? { [envKeys.capacity]: String(props.capacity) } : {}),
        [envKeys.restartStateMachineArn]: props.restart.stateMachineArn,
        [envKeys.reactivationStateMachineArn]: props.reactivation.stateMachineArn,
        // Fargate sets it too; explicit, so a worker never falls back to a default region.
        [envKeys.region]: Stack.of(this).region,
        // The app's id and protocol (always set, its default resolved from the one table); its secrets come below.
        ...slackAppIdentityEnvironment(props.slack),
      },
      // Injected at task start from Secrets Manager by the secret's complete ARN (the execution
      // role reads this one secret): never in the template or the task definition; unpinned, a
      // rotated secret reaches the next task started.
      secrets: workerSlackSecrets(slackAppSecret(this, props.slack), props.slack.protocol),
      readonlyRootFilesystem: true,
      stopTimeout: Duration.seconds(maxStopTimeoutSeconds),
      healthCheck: {
        command: ['CMD-SHELL', 'test -n "$(find /tmp/lifeline-alive -mmin -1)" || exit 1'],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(30),
        retries: 3,
      },
    });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    grantTable(role, props.table, props.tableKey, tableActions.readWrite);
    // Opens installations' tokens to connect; seals the new pair when it renews a rotating token.
    grantTokenKey(role, props.tokenKey, props.slack.appId);
    props.connectQueue.grantConsumeMessages(role);
    // A drain hands links to peers through the queue.
    props.connectQueue.grantSendMessages(role);
    props.eventBus.grantPutEventsTo(role);
    if (props.botFunctionArn) grantInvokeBot(role, props.botFunctionArn);
    // Connect outcomes go back to whichever workflow sent the command (task tokens); retries
    // after a failed in-place reconnect start a restart execution. Workers never reactivate.
    props.restart.grantTaskResponse(role);
    props.restart.grantStartExecution(role);
    props.reactivation.grantTaskResponse(role);
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // No DesiredCount in the template: the autoscaler owns it (`WorkerScaling`, min 2), and a
      // deploy that named one would reset a scaled-out fleet to it. CloudFormation starts a new
      // service at 1; registering the scalable target raises it to the minimum at once.
      // Public subnets and a public IP instead of a NAT gateway; the security group admits nothing in.
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      assignPublicIp: true,
      securityGroups: [props.securityGroup],
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: false,
    });
  }
}
