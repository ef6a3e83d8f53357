/**
 * A task failure whose `name` is the ASL error name: Step Functions (and the local interpreter)
 * match Retry and Catch on it, and a Node Lambda reports `name` as its error type.
 */
export class TaskError extends Error {
  readonly code = 'WORKFLOW_TASK_FAILED';

  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** The payload is not what the definitions send: a deployment mismatch, never retried into success. */
export const invalidInput = (message: string): TaskError => new TaskError('Task.InvalidInput', message);
