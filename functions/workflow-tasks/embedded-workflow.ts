import { LocalStepFunctionsWorkflow, localLinkWorkflowDefinitions, type LinkWorkflowOptions, type LocalStepFunctionsWorkflowOptions } from '../../shared/adapters/stepfunctions';
import type { WorkflowTaskDeps } from './deps';
import { makeHandler } from './handler';

export interface EmbeddedWorkflowOptions extends Omit<LocalStepFunctionsWorkflowOptions, 'definitions' | 'handler'> {
  /** The task handler's ports. */
  deps: WorkflowTaskDeps;
  /** Options of the definitions (the connect timeout), as the constructs pass them on AWS. */
  definition?: LinkWorkflowOptions;
}

/**
 * The embedded mode's Workflow: the very definitions the constructs deploy
 * (`shared/adapters/stepfunctions/link-workflows.ts`), run locally, every Lambda state bound to
 * the same `makeHandler` the AWS Lambda runs.
 */
export function createEmbeddedWorkflow(options: EmbeddedWorkflowOptions): LocalStepFunctionsWorkflow {
  const { deps, definition, ...rest } = options;
  return new LocalStepFunctionsWorkflow({ ...rest, definitions: localLinkWorkflowDefinitions(definition), handler: makeHandler(deps) });
}
