import { applyAndPerform, leaveSocketToOwner, type ApplyEventOptions, type ApplyEventResult, type EffectPerformer } from '../../shared/app';
import type { LinkEvent } from '../../shared/domain';
import type { Logger } from '../../shared/ports';
import type { WorkflowTaskDeps } from './deps';

/**
 * The performer of a workflow task. The workflow itself is the connect and the retry:
 * `requestConnect` is its next Connect state and `scheduleRetry` its next Wait (the task returns
 * what they need, from the link it wrote), and `cancelRetry` could only cancel itself. So those
 * are left to the definition; socket effects belong to the owning worker.
 */
export function workflowPerformer(log: Logger): EffectPerformer {
  const definitionDoesIt = (): Promise<void> => Promise.resolve();
  return {
    connect: definitionDoesIt,
    scheduleRetry: definitionDoesIt,
    cancelRetry: definitionDoesIt,
    closeSocket: (link) => leaveSocketToOwner(log, link, 'closeSocket'),
    replaceSocket: (link) => leaveSocketToOwner(log, link, 'replaceSocket'),
  };
}

/** `applyAndPerform` as a workflow task. */
export function applyInWorkflow(deps: WorkflowTaskDeps, linkId: string, event: LinkEvent, options: ApplyEventOptions = {}): Promise<ApplyEventResult> {
  return applyAndPerform(deps, workflowPerformer(deps.log), linkId, event, options);
}
