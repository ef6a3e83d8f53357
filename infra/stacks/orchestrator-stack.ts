import { CfnOutput, Stack, type CfnElement, type Duration, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ConnectQueue } from '../constructs/connect-queue';
import { BotAccess, type BotFunctionSettings } from '../constructs/bot-function';
import { EventSink } from '../constructs/event-sink';
import { HttpEndpoint } from '../constructs/http-endpoint';
import { LifelineAlarms, type AlarmThresholds } from '../constructs/monitoring/lifeline-alarms';
import { LifelineDashboard } from '../constructs/monitoring/lifeline-dashboard';
import { ReactivationWorkflow } from '../constructs/reactivation-workflow';
import { RestartWorkflow } from '../constructs/restart-workflow';
import type { SlackAppSettings } from '../constructs/slack-app-secret';
import { Sweeper } from '../constructs/sweeper';
import { WorkerNetwork } from '../constructs/worker-network';
import { WorkerScaling, type WorkerScalingSettings } from '../constructs/worker-scaling';
import { WorkerService } from '../constructs/worker-service';
import { WorkflowTasks } from '../constructs/workflow-tasks';
import { acknowledgeOrchestratorFindings } from '../nag/orchestrator-acknowledgements';
import { tokenOpenerRoleNames } from './token-opener-roles';

/** Where the code lives: the repository root (Dockerfile, lock file) and the Lambda entry points. */
export interface CodePaths {
  readonly projectRoot: string;
  readonly httpEntry: string;
  readonly workflowTasksEntry: string;
  readonly sweeperEntry: string;
}

/** The workers' task size, capacity and drain, and the bounds and target of their autoscaling. */
export interface WorkerSettings extends WorkerScalingSettings {
  cpu?: number;
  memoryLimitMiB?: number;
  capacity?: number;
  drainTimeout?: Duration;
}

export interface OrchestratorStackProps extends StackProps {
  readonly table: ITable;
  /** The table's key: every role using the table gets it, through DynamoDB only. */
  readonly tableKey: IKey;
  /** The key wrapping Slack tokens: only the worker, workflow tasks and HTTP roles get it. */
  readonly tokenKey: IKey;
  readonly code: CodePaths;
  readonly workers?: WorkerSettings;
  /** The Slack app; its secret is created by the operator before deploying (README: Deploy). */
  readonly slack: SlackAppSettings;
  readonly alarmEmail?: string;
  readonly alarmThresholds?: Partial<AlarmThresholds>;
  /**
   * A bot in its own Lambda: the workers (and the HTTP endpoint) invoke it with every payload,
   * and its role is granted what `authorize` reads. The token key must name the role too
   * (`StatefulStackProps.botRoleArn`; `buildLifeline` passes both).
   */
  readonly bot?: BotFunctionSettings;
}

/**
 * Everything that can be torn down and redeployed without losing state: workers, queue, bus,
 * workflows, Lambdas, alarms and the dashboard. It reads the table and key of the stateful stack.
 */
export class OrchestratorStack extends Stack {
  readonly connectQueue: ConnectQueue;
  readonly restart: RestartWorkflow;
  readonly reactivation: ReactivationWorkflow;
  readonly http: HttpEndpoint;
  readonly workers: WorkerService;
  readonly scaling: WorkerScaling;
  readonly alarms: LifelineAlarms;

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    const { table, tableKey, tokenKey, code } = props;
    // Named as the stateful stack's token key policy names them (it cannot reference this stack).
    const roleNames = tokenOpenerRoleNames(this.stackName);
    const network = new WorkerNetwork(this, 'Network', { table });
    this.connectQueue = new ConnectQueue(this, 'ConnectQueue');
    const connectQueue = this.connectQueue.queue;
    const sink = new EventSink(this, 'Events');

    // The workflows do their own connecting (SQS) and waiting; their task Lambda only moves links.
    const tasks = new WorkflowTasks(this, 'WorkflowTasks', {
      entry: code.workflowTasksEntry,
      projectRoot: code.projectRoot,
      table,
      tableKey,
      tokenKey,
      roleName: roleNames.workflowTasks,
      slack: props.slack,
      // Its lifecycle notices (a pool link parked, a reinstall verified) go on the workers' bus.
      eventBus: sink.bus,
    });
    const workflowProps = { connectQueue, taskFunction: tasks.handler.function };
    this.restart = new RestartWorkflow(this, 'Restart', workflowProps);
    this.reactivation = new ReactivationWorkflow(this, 'Reactivation', workflowProps);
    const restart = this.restart.stateMachine;
    const reactivation = this.reactivation.stateMachine;

    this.http = new HttpEndpoint(this, 'Http', {
      entry: code.httpEntry,
      projectRoot: code.projectRoot,
      table,
      tableKey,
      tokenKey,
      roleName: roleNames.http,
      connectQueue,
      restart,
      reactivation,
      slack: props.slack,
      eventBus: sink.bus,
      ...(props.bot ? { botFunctionArn: props.bot.functionArn } : {}),
    });
    const { minCount, maxCount, targetPercent, ...workerSettings } = props.workers ?? {};
    const sweeper = new Sweeper(this, 'Sweeper', { entry: code.sweeperEntry, projectRoot: code.projectRoot, table, tableKey, connectQueue, restart, reactivation });
    this.workers = new WorkerService(this, 'Workers', {
      imageDirectory: code.projectRoot,
      vpc: network.vpc,
      securityGroup: network.securityGroup,
      table,
      tableKey,
      tokenKey,
      taskRoleName: roleNames.workerTask,
      connectQueue,
      eventBus: sink.bus,
      restart,
      reactivation,
      slack: props.slack,
      ...(props.bot ? { botFunctionArn: props.bot.functionArn } : {}),
      ...workerSettings,
    });
    if (props.bot) new BotAccess(this, 'Bot', { bot: props.bot, table, tableKey, tokenKey, appId: props.slack.appId });

    const workflows = { Restart: restart, Reactivation: reactivation };
    this.alarms = new LifelineAlarms(this, 'Alarms', {
      deadLetterQueue: this.connectQueue.deadLetterQueue,
      functions: { Http: this.http.handler.function, WorkflowTasks: tasks.handler.function, Sweeper: sweeper.handler.function },
      workflows,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
      ...(props.alarmThresholds ? { thresholds: props.alarmThresholds } : {}),
    });
    this.scaling = new WorkerScaling(this, 'WorkerScaling', {
      cluster: this.workers.cluster,
      service: this.workers.service,
      // The workers publish under their table's name (functions/worker/compose-aws.ts).
      fleet: table.tableName,
      topic: this.alarms.topic,
      ...compactSettings({ minCount, maxCount, targetPercent }),
    });
    const dashboard = new LifelineDashboard(this, 'Dashboard', {
      connectQueue,
      deadLetterQueue: this.connectQueue.deadLetterQueue,
      workflows,
      alarms: [...this.alarms.alarms, ...this.scaling.alarms],
      fleet: { utilisation: this.scaling.utilisation, linksHeld: this.scaling.linksHeld, capacity: this.scaling.capacity },
    });

    new CfnOutput(this, 'SlackInstallUrl', { value: this.http.installUrl, description: 'The "Add to Slack" link to share' });
    new CfnOutput(this, 'SlackRedirectUrl', { value: this.http.redirectUrl, description: 'Slack app > OAuth & Permissions > Redirect URLs' });
    new CfnOutput(this, 'SlackEventsUrl', { value: this.http.eventsUrl, description: 'Slack app > Event Subscriptions > Request URL' });
    new CfnOutput(this, 'DashboardUrl', { value: dashboard.url });
    new CfnOutput(this, 'EventBusName', { value: sink.bus.eventBusName, description: "Subscribe the bot's rules to this bus" });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // What `npx lifeline --stack <this stack>` reads (functions/cli/stack-outputs.ts): the names are its contract.
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'lifeline --stack: the links table' });
    new CfnOutput(this, 'ConnectQueueUrl', { value: connectQueue.queueUrl, description: 'lifeline --stack: where reactivate queues a connect' });
    new CfnOutput(this, 'RestartStateMachineArn', { value: restart.stateMachineArn, description: 'lifeline --stack: the restart workflow' });
    new CfnOutput(this, 'ReactivationStateMachineArn', { value: reactivation.stateMachineArn, description: 'lifeline --stack: the reactivation workflow' });

    acknowledgeOrchestratorFindings(this, {
      workers: this.workers,
      routes: this.http.routes,
      workflowRoles: [restart.role, reactivation.role],
      taskFunctionLogicalId: this.getLogicalId(tasks.handler.function.node.defaultChild as CfnElement),
    });
  }
}

/** Drops unset keys, so `exactOptionalPropertyTypes` accepts what was not given. */
function compactSettings<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
