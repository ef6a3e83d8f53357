import { applyEvent, type ApplyEventDeps } from './apply-event';
import { performDetachedEffects, type DetachedEffectDeps } from './detached-effects';
import type { RetryRequest } from '../ports';

/**
 * A scheduled retry is due (the restart workflow's Wait ended): apply RETRY and send the connect
 * command. A retry for a link that has moved on (another epoch, or no longer in backoff) is a
 * no-op: the machine ignores RETRY outside backoff.
 */
export async function retryDue(deps: ApplyEventDeps & DetachedEffectDeps, request: RetryRequest): Promise<{ changed: boolean }> {
  const current = await deps.links.get(request.linkId);
  if (!current || current.epoch !== request.epoch) return { changed: false };
  const result = await applyEvent(deps, request.linkId, { type: 'RETRY' });
  await performDetachedEffects(deps, result.link, result.effects);
  return { changed: result.changed };
}
