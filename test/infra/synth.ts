import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildLifeline, type LifelineSettings } from '../../infra/lifeline-app';
import type { SlackDeploymentInput } from '../../infra/slack-deployment';

/** The Slack app every test deploys unless it says otherwise: an id and a secret by complete ARN. */
export const TEST_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
export const TEST_SLACK: SlackDeploymentInput = { appId: 'A0TEST', secretArn: TEST_SECRET_ARN };

/** Settings as a test gives them: the Slack app's fields default to `TEST_SLACK`. */
export type TestSettings = Omit<LifelineSettings, 'slack'> & { slack?: SlackDeploymentInput };

export const withTestSlack = (settings: TestSettings = {}): LifelineSettings => ({ ...settings, slack: { ...TEST_SLACK, ...settings.slack } });

export interface SynthesizedLifeline {
  app: App;
  stateful: Template;
  orchestrator: Template;
  stacks: ReturnType<typeof buildLifeline>;
}

/**
 * The whole app as `cdk synth` builds it. Without bundling (the Lambda assets are not built) and
 * without cdk-nag (seconds per synth; `nag.test.ts` runs it on the whole app) unless asked.
 */
export function synthLifeline(settings: TestSettings = {}, options: { bundle?: boolean } = {}): SynthesizedLifeline {
  const app = new App(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildLifeline(app, { nag: false, ...withTestSlack(settings) });
  return {
    app,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    orchestrator: Template.fromStack(stacks.orchestrator),
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every resource of a template, for walks the assertions library has no matcher for. */
export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

/** The single resource of a type whose logical id starts with `prefix`. */
export function onlyResource(template: Template, type: string, prefix = ''): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(resourcesOf(template)).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} starting with "${prefix}", found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, properties: resource.Properties ?? {} };
}
