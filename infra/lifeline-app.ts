import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import type { SlackAppSettings } from './constructs/slack-app-secret';
import type { AlarmThresholds } from './constructs/monitoring/lifeline-alarms';
import { OrchestratorStack, type WorkerSettings } from './stacks/orchestrator-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { roleArn, tokenOpenerRoleNames } from './stacks/token-opener-roles';
import { checkSlackDeployment, type SlackDeploymentInput } from './slack-deployment';
import { checkBotFunction } from './constructs/bot-function';

/** Everything the app can be told (by `infra/app.ts`, from CDK context); all but `slack` has a default. */
export interface LifelineSettings {
  statefulStackName?: string;
  orchestratorStackName?: string;
  alarmEmail?: string;
  /** Required: the app id and the secret's complete ARN (synth fails naming both keys otherwise). */
  slack: SlackDeploymentInput;
  /**
   * More roles that may open and seal Slack tokens besides Lifeline's own, by ARN (a bot's role goes in `bot`: it only opens): the
   * token key's policy names them; each role's own policy must allow the call too.
   */
  tokenOpenerRoleArns?: readonly string[];
  /**
   * A bot in its own Lambda (context `botFunctionArn`, `botRoleArn`; both or neither): every
   * payload is invoked on it (synchronously where the ack takes its answer), and its role may read
   * installations and open bot tokens, nothing more.
   */
  bot?: { functionArn?: string | undefined; roleArn?: string | undefined };
  alarmThresholds?: Partial<AlarmThresholds>;
  /** Task size, capacity, drain, and the autoscaling's bounds and target (min 2, max 10, 70 % by default). */
  workers?: WorkerSettings;
  /** cdk-nag's AwsSolutions pack. Default on: a finding fails synth unless acknowledged with a reason. */
  nag?: boolean;
}

const repoPath = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const codePaths = {
  projectRoot: repoPath('.').replace(/\/$/, ''),
  httpEntry: repoPath('functions/http/lambda.ts'),
  workflowTasksEntry: repoPath('functions/workflow-tasks/lambda.ts'),
  sweeperEntry: repoPath('functions/sweeper/lambda.ts'),
};

/** The two stacks, wired: the orchestrator reads the stateful stack's table and keys. */
export function buildLifeline(app: App, settings: LifelineSettings): { stateful: StatefulStack; orchestrator: OrchestratorStack } {
  const slack: SlackAppSettings = checkSlackDeployment(settings.slack);
  const bot = settings.bot ? checkBotFunction(settings.bot) : undefined;
  const orchestratorStackName = settings.orchestratorStackName ?? 'LifelineOrchestrator';
  const openers = Object.values(tokenOpenerRoleNames(orchestratorStackName)).map(roleArn);
  const stateful = new StatefulStack(app, settings.statefulStackName ?? 'LifelineStateful', {
    description: 'Lifeline: links table, its KMS key and the Slack token key (stateful, retained)',
    appId: slack.appId,
    tokenOpenerRoleArns: [...openers, ...(settings.tokenOpenerRoleArns ?? [])],
    ...(bot ? { botRoleArn: bot.roleArn } : {}),
  });
  const orchestrator = new OrchestratorStack(app, orchestratorStackName, {
    description: 'Lifeline: workers, connect queue, workflows, Lambdas, event bus, alarms, dashboard',
    table: stateful.table,
    tableKey: stateful.key,
    tokenKey: stateful.tokenKey,
    code: codePaths,
    slack,
    ...(bot ? { bot } : {}),
    ...(settings.workers ? { workers: settings.workers } : {}),
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    ...(settings.alarmThresholds ? { alarmThresholds: settings.alarmThresholds } : {}),
  });
  if (settings.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, orchestrator };
}
