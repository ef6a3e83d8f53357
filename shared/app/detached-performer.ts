import type { ConnectQueue, Logger, Metrics, Workflow } from '../ports';
import { applyAndPerform } from './apply-and-perform';
import type { ApplyEventDeps, ApplyEventOptions, ApplyEventResult } from './apply-event';
import { leaveSocketToOwner, type EffectPerformer } from './perform-effects';
import type { LinkEvent } from '../domain';

export interface DetachedEffectDeps {
  queue: ConnectQueue;
  workflow: Workflow;
  metrics: Metrics;
  log: Logger;
}

/**
 * The performer of a caller that holds no socket: the OAuth and Events handlers, the sweeper, a
 * peer applying OWNER_LOST, the embedded parent, an operator. A connect goes to the workers'
 * queue carrying the link's epoch (a stale command then loses its claim); retries go to the
 * restart workflow. Socket effects belong to the owning worker.
 */
export function detachedPerformer(deps: Pick<DetachedEffectDeps, 'queue' | 'workflow' | 'log'>): EffectPerformer {
  return {
    connect: (link) => deps.queue.send({ linkId: link.id, epoch: link.epoch }),
    scheduleRetry: (link, params) => deps.workflow.scheduleRetry({ linkId: link.id, epoch: link.epoch, delayMs: params.delayMs, attempt: params.attempt, dueAt: params.at }),
    cancelRetry: (link) => deps.workflow.cancelRetry(link.id),
    closeSocket: (link) => leaveSocketToOwner(deps.log, link, 'closeSocket'),
    replaceSocket: (link) => leaveSocketToOwner(deps.log, link, 'replaceSocket'),
  };
}

/** `applyAndPerform` for a caller that holds no socket. */
export function applyDetached(
  deps: ApplyEventDeps & DetachedEffectDeps,
  linkId: string,
  event: LinkEvent,
  options: ApplyEventOptions = {},
): Promise<ApplyEventResult> {
  return applyAndPerform(deps, detachedPerformer(deps), linkId, event, options);
}
