import type { ConnectFailureKind } from '../../ports';

/**
 * What the workflow definitions (`link-workflows.ts`, deployed by infra/constructs), the task
 * handlers (functions/workflow-tasks) and both Step Functions adapters agree on: task names, the
 * ASL error names of a connect task's failures, and the inputs each workflow starts with. One
 * place, so none of them can drift. Nothing outside Step Functions' side reads these names: the
 * workers speak the `Workflow` port (`kind`, `cause`).
 */

/** The `task` field of every Lambda task's payload: `makeHandler` dispatches on it. */
export const WORKFLOW_TASKS = ['applyRetry', 'applyConnectFailed', 'applyRevoked', 'applyDisabled', 'verifyToken', 'applyRegistered'] as const;
export type WorkflowTaskName = (typeof WORKFLOW_TASKS)[number];

/** The ASL error name of each connect failure (`SendTaskFailure`'s `error`), caught by the workflows. */
export const CONNECT_FAILURES: Readonly<Record<ConnectFailureKind, string>> = {
  revoked: 'Link.Revoked',
  inactive: 'Link.Inactive',
  stale: 'Link.Stale',
  transient: 'Link.Transient',
};

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
