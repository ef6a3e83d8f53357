export {
  CONNECT_FAILURES,
  delaySecondsOf,
  TOKEN_REJECTED,
  WORKFLOW_TASKS,
  type ConnectMessage,
  type ReactivationInput,
  type RestartInput,
  type WorkflowTaskName,
} from './contract';
export { decodeConnectCause, encodeConnectCause, type ConnectCause } from './connect-cause';
export {
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFINITION_SUBSTITUTIONS,
  LOCAL_SUBSTITUTIONS,
  linkWorkflowDefinitions,
  localLinkWorkflowDefinitions,
  substituteDefinition,
  type LinkWorkflowDefinitions,
  type LinkWorkflowOptions,
} from './link-workflows';
export { executionName, reactivationExecutionName, restartExecutionName } from './execution-name';
export type { ExecutionRecord } from './execution-record';
export { LocalStepFunctionsWorkflow, type LocalStepFunctionsWorkflowOptions, type TaskHandler } from './local-step-functions-workflow';
export { SfnWorkflow, type SfnWorkflowOptions } from './sfn-workflow';
export { WorkflowError } from './workflow-error';
