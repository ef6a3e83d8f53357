import { recordEffectMetric } from '../../shared/app';
import type { Effect } from '../../shared/domain';
import type { LinkRecord } from '../../shared/ports';
import type { WorkflowTaskDeps } from './deps';

/**
 * Effects of an event a workflow task applied. The workflow itself is the connect and the retry:
 * `requestConnect` is its next Connect state, `scheduleRetry` its next Wait, and `cancelRetry`
 * would only cancel itself. So those are left to the definition; socket effects belong to the
 * owning worker; the rest are metrics.
 */
export function performWorkflowEffects(deps: WorkflowTaskDeps, link: LinkRecord, effects: readonly Effect[]): void {
  for (const effect of effects) {
    switch (effect.type) {
      case 'requestConnect':
      case 'scheduleRetry':
      case 'cancelRetry':
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
