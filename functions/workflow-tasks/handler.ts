import { WORKFLOW_TASKS, type WorkflowTaskName } from '../../shared/adapters/stepfunctions/contract';
import type { WorkflowTaskDeps } from './deps';
import { applyConnectFailed, applyDisabled, applyRetry, applyRevoked, type FailedConnect, type LinkRef } from './link-tasks';
import { applyRegistered, verifyToken, type Reactivation } from './reactivation-tasks';
import { invalidInput } from './task-error';

export type WorkflowTaskHandler = (input: unknown) => Promise<unknown>;

const isTask = (name: unknown): name is WorkflowTaskName => (WORKFLOW_TASKS as readonly unknown[]).includes(name);

function field<T>(input: Record<string, unknown>, key: string, type: 'string' | 'number' | 'object'): T {
  const value = input[key];
  if (typeof value !== type || value === null) throw invalidInput(`task ${String(input.task)}: ${key} must be a ${type}`);
  return value as T;
}

const linkRef = (input: Record<string, unknown>): LinkRef => ({
  linkId: field(input, 'linkId', 'string'),
  epoch: field(input, 'epoch', 'number'),
  ...(typeof input.attempt === 'number' ? { attempt: input.attempt } : {}),
});

const failedConnect = (input: Record<string, unknown>): FailedConnect => ({ ...linkRef(input), failure: field(input, 'failure', 'object') });

const reactivation = (input: Record<string, unknown>): Reactivation => ({
  linkId: field(input, 'linkId', 'string'),
  tokenVersion: field(input, 'tokenVersion', 'number'),
});

/**
 * The workflow tasks' one handler: the definitions' Lambda states send `{ task, ...state }` and
 * this dispatches on `task`. The same function runs on AWS (`lambda.ts`) and embedded (bound to
 * the local interpreter's Task states), so both run the same code.
 */
export function makeHandler(deps: WorkflowTaskDeps): WorkflowTaskHandler {
  return async (raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) throw invalidInput('task input must be an object');
    const input = raw as Record<string, unknown>;
    if (!isTask(input.task)) throw invalidInput(`unknown task ${JSON.stringify(input.task)}`);
    switch (input.task) {
      case 'applyRetry':
        return applyRetry(deps, linkRef(input));
      case 'applyConnectFailed':
        return applyConnectFailed(deps, failedConnect(input));
      case 'applyRevoked':
        return applyRevoked(deps, failedConnect(input));
      case 'applyDisabled':
        return applyDisabled(deps, failedConnect(input));
      case 'verifyToken':
        return verifyToken(deps, reactivation(input));
      case 'applyRegistered':
        return applyRegistered(deps, reactivation(input));
    }
  };
}
