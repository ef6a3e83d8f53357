import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildLifeline, type LifelineSettings } from '../../infra/lifeline-app';

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
export function synthLifeline(settings: LifelineSettings = {}, options: { bundle?: boolean } = {}): SynthesizedLifeline {
  const app = new App(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildLifeline(app, { nag: false, ...settings });
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
