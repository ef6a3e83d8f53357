import { Validations, type App, type Duration } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import type { SlackAppSettings } from './constructs/http-endpoint';
import type { AlarmThresholds } from './constructs/monitoring/lifeline-alarms';
import { OrchestratorStack } from './stacks/orchestrator-stack';
import { StatefulStack } from './stacks/stateful-stack';

/** Everything the app can be told (by `infra/app.ts`, from CDK context); every field has a default. */
export interface LifelineSettings {
  statefulStackName?: string;
  orchestratorStackName?: string;
  alarmEmail?: string;
  /** Default secret name `lifeline/slack-app`. */
  slack?: Partial<SlackAppSettings>;
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

/** The two stacks, wired: the orchestrator reads the stateful stack's table and key. */
export function buildLifeline(app: App, settings: LifelineSettings = {}): { stateful: StatefulStack; orchestrator: OrchestratorStack } {
  const stateful = new StatefulStack(app, settings.statefulStackName ?? 'LifelineStateful', {
    description: 'Lifeline: links table and its KMS key (stateful, retained)',
  });
  const orchestrator = new OrchestratorStack(app, settings.orchestratorStackName ?? 'LifelineOrchestrator', {
    description: 'Lifeline: workers, connect queue, workflows, Lambdas, event bus, alarms, dashboard',
    table: stateful.table,
    key: stateful.key,
    code: codePaths,
    slack: { secretName: 'lifeline/slack-app', ...settings.slack },
    ...(settings.workers ? { workers: settings.workers } : {}),
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    ...(settings.alarmThresholds ? { alarmThresholds: settings.alarmThresholds } : {}),
  });
  if (settings.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, orchestrator };
}
