import type { Effect } from '../domain';
import type { ConnectQueue, LinkRecord, Logger, Metrics, Workflow } from '../ports';

export interface DetachedEffectDeps {
  queue: ConnectQueue;
  workflow: Workflow;
  metrics: Metrics;
  log: Logger;
}

/**
 * Performs effects for a caller that does not hold the link's socket: the restart workflow, the
 * OAuth and Events handlers, a peer applying OWNER_LOST, an operator. A connect goes to the
 * workers' queue (carrying the epoch, so a stale command loses its claim); retries go to the
 * workflow. Socket effects (`closeSocket`, `replaceSocket`) belong to the owning worker, which
 * learns of them when it reconciles its links or when Slack closes the socket.
 */
export async function performDetachedEffects(deps: DetachedEffectDeps, link: LinkRecord, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'requestConnect':
        await deps.queue.send({ linkId: link.id, epoch: link.epoch });
        break;
      case 'scheduleRetry':
        await deps.workflow.scheduleRetry({ linkId: link.id, epoch: link.epoch, delayMs: effect.params.delayMs, attempt: effect.params.attempt });
        break;
      case 'cancelRetry':
        await deps.workflow.cancelRetry(link.id);
        break;
      case 'closeSocket':
      case 'replaceSocket':
        if (link.owner) deps.log.info('socket effect left to the owning worker', { linkId: link.id, effect: effect.type, owner: link.owner });
        break;
      default:
        recordEffectMetric(deps, link, effect);
    }
  }
}

/** The metric side of effects, shared by detached callers and workers. */
export function recordEffectMetric(deps: Pick<DetachedEffectDeps, 'metrics' | 'log'>, link: LinkRecord, effect: Effect): void {
  switch (effect.type) {
    case 'recordOpened':
      deps.metrics.put('Reconnects', 1, { Protocol: link.protocol });
      if (effect.params.downSince !== undefined) {
        deps.metrics.put('TimeToReconnectMs', Math.max(0, link.updatedAt - effect.params.downSince), { Protocol: link.protocol });
      }
      break;
    case 'reportParked':
      deps.metrics.put('FatalErrors', 1, { Code: effect.params.reason, State: effect.params.state });
      deps.log.warn('link parked', { linkId: link.id, state: effect.params.state, reason: effect.params.reason });
      break;
    case 'reportUnknownError':
      deps.metrics.put('UnknownSlackErrors', 1, { Code: effect.params.error });
      deps.log.warn('unknown Slack error, treated as transient', { linkId: link.id, error: effect.params.error });
      break;
    default:
      break;
  }
}
