import { LocalStepFunctionsWorkflow, type LocalStepFunctionsWorkflowOptions } from '../../shared/adapters/stepfunctions';
import { workflowDefinitions, type DefinitionOptions } from '../../infra/workflows/definitions';
import type { WorkflowTaskDeps } from './deps';
import { makeHandler } from './handler';

export interface EmbeddedWorkflowOptions extends Omit<LocalStepFunctionsWorkflowOptions, 'definitions' | 'handler'> {
  /** The task handler's ports. */
  deps: WorkflowTaskDeps;
  /** Options the constructs are synthesized with (the connect timeout). */
  definition?: DefinitionOptions;
}

/**
 * The embedded mode's Workflow: the very definitions `infra/constructs` synthesizes, run locally,
 * every Lambda state bound to the same `makeHandler` the AWS Lambda runs.
 */
export function createEmbeddedWorkflow(options: EmbeddedWorkflowOptions): LocalStepFunctionsWorkflow {
  const { deps, definition, ...rest } = options;
  return new LocalStepFunctionsWorkflow({ ...rest, definitions: workflowDefinitions(definition), handler: makeHandler(deps) });
}
