/**
 * What the workflow definitions (infra/constructs), the task handlers (functions/workflow-tasks),
 * the workers and both Workflow adapters agree on: task names, the named failures of a connect
 * task, and the inputs each workflow starts with. One place, so none of them can drift.
 */

/** The `task` field of every Lambda task's payload: `makeHandler` dispatches on it. */
export const WORKFLOW_TASKS = ['applyRetry', 'applyConnectFailed', 'applyRevoked', 'applyDisabled', 'verifyToken', 'applyRegistered'] as const;
export type WorkflowTaskName = (typeof WORKFLOW_TASKS)[number];

/** Named failures of the connect task (`SendTaskFailure`'s `error`), caught by the workflows. */
export const CONNECT_FAILURES = {
  revoked: 'Link.Revoked',
  inactive: 'Link.Inactive',
  stale: 'Link.Stale',
  transient: 'Link.Transient',
} as const;

/** The execution of a reactivation whose token failed `auth.test` ends in this error, its cause the Slack error. */
export const TOKEN_REJECTED = 'Link.TokenRejected';

/** A restart execution's input. `delaySeconds` is the machine's delay, rounded up: Step Functions waits in whole seconds. */
export interface RestartInput {
  linkId: string;
  epoch: number;
  attempt: number;
  delaySeconds: number;
}

/** A reactivation execution's input. */
export interface ReactivationInput {
  linkId: string;
  appId: string;
  teamId: string;
  tokenVersion: number;
}

/** The body of the connect command the workflows send (SQS `sendMessage.waitForTaskToken`). */
export interface ConnectMessage {
  linkId: string;
  epoch: number;
  taskToken: string;
}

export const delaySecondsOf = (delayMs: number): number => Math.max(0, Math.ceil(delayMs / 1000));
