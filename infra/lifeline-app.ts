import { Validations, type App, type Duration } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import type { SlackAppSettings } from './constructs/slack-app-secret';
import type { AlarmThresholds } from './constructs/monitoring/lifeline-alarms';
import { OrchestratorStack } from './stacks/orchestrator-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { roleArn, tokenOpenerRoleNames } from './stacks/token-opener-roles';
import { checkSlackDeployment, type SlackDeploymentInput } from './slack-deployment';

/** Everything the app can be told (by `infra/app.ts`, from CDK context); all but `slack` has a default. */
export interface LifelineSettings {
  statefulStackName?: string;
  orchestratorStackName?: string;
  alarmEmail?: string;
  /** Required: the app id and the secret's complete ARN (synth fails naming both keys otherwise). */
  slack: SlackDeploymentInput;
  /**
   * More roles that may open Slack tokens besides Lifeline's own (a bot's role, by ARN): the
   * token key's policy names them; each role's own policy must allow the call too.
   */
  tokenOpenerRoleArns?: readonly string[];
  alarmThresholds?: Partial<AlarmThresholds>;
  workers?: { desiredCount?: number; cpu?: number; memoryLimitMiB?: number; capacity?: number; drainTimeout?: Duration };
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
  const orchestratorStackName = settings.orchestratorStackName ?? 'LifelineOrchestrator';
  const openers = Object.values(tokenOpenerRoleNames(orchestratorStackName)).map(roleArn);
  const stateful = new StatefulStack(app, settings.statefulStackName ?? 'LifelineStateful', {
    description: 'Lifeline: links table, its KMS key and the Slack token key (stateful, retained)',
    appId: slack.appId,
    tokenOpenerRoleArns: [...openers, ...(settings.tokenOpenerRoleArns ?? [])],
  });
  const orchestrator = new OrchestratorStack(app, orchestratorStackName, {
    description: 'Lifeline: workers, connect queue, workflows, Lambdas, event bus, alarms, dashboard',
    table: stateful.table,
    tableKey: stateful.key,
    tokenKey: stateful.tokenKey,
    code: codePaths,
    slack,
    ...(settings.workers ? { workers: settings.workers } : {}),
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    ...(settings.alarmThresholds ? { alarmThresholds: settings.alarmThresholds } : {}),
  });
  if (settings.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, orchestrator };
}
