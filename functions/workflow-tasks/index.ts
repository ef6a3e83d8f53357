export type { WorkflowTaskDeps } from './deps';
export { createEmbeddedWorkflow, type EmbeddedWorkflowOptions } from './embedded-workflow';
export { makeHandler, type WorkflowTaskHandler } from './handler';
export { TaskError } from './task-error';
