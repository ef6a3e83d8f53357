import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { ReactivationWorkflow } from '../constructs/reactivation-workflow';
import { RestartWorkflow } from '../constructs/restart-workflow';
import type { LinkWorkflowProps } from '../constructs/workflow-props';
import { resolveDefinitionString, type TemplateResources } from './resolve-intrinsics';

/** The two link workflows as plain ASL, exactly as `infra/constructs` synthesizes them. */
export interface WorkflowDefinitions {
  restart: Record<string, unknown>;
  reactivation: Record<string, unknown>;
}

export type DefinitionOptions = Pick<LinkWorkflowProps, 'connectTimeout'>;

let cached: WorkflowDefinitions | undefined;

/**
 * Synthesizes the constructs in a throwaway app (no bundling, no assets) and resolves their
 * definitions. The embedded mode and the tests run these, so they run what AWS runs. Cached for
 * the default options: synthesis costs about half a second.
 */
export function workflowDefinitions(options: DefinitionOptions = {}): WorkflowDefinitions {
  const useCache = options.connectTimeout === undefined;
  if (useCache && cached) return structuredClone(cached);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'LifelineWorkflowDefinitions');
  const props: LinkWorkflowProps = {
    ...options,
    connectQueue: new Queue(stack, 'ConnectQueue'),
    taskFunction: new LambdaFunction(stack, 'WorkflowTasks', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = () => {}') }),
  };
  const restart = new RestartWorkflow(stack, 'Restart', props);
  const reactivation = new ReactivationWorkflow(stack, 'Reactivation', props);
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: TemplateResources & Record<string, { Properties?: { DefinitionString?: unknown } }> };
  const definitionOf = (stateMachine: RestartWorkflow['stateMachine']): Record<string, unknown> => {
    const logicalId = stack.getLogicalId(stateMachine.node.defaultChild as never);
    return resolveDefinitionString(template.Resources[logicalId]?.Properties?.DefinitionString, template.Resources);
  };
  const definitions = { restart: definitionOf(restart.stateMachine), reactivation: definitionOf(reactivation.stateMachine) };
  if (useCache) cached = definitions;
  return structuredClone(definitions);
}
