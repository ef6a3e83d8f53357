import type { LinkEvent } from '../domain';
import { applyEvent, type ApplyEventDeps, type ApplyEventOptions, type ApplyEventResult } from './apply-event';
import { performEffects, type EffectDeps, type EffectPerformer } from './perform-effects';

export type ApplyAndPerformDeps = ApplyEventDeps & EffectDeps;

/**
 * The one way a link moves: apply the event (load → step → conditional save, `applyEvent`), then
 * perform the effects the step named, as the given context performs them. The effects run only
 * after the write, so nothing acts on a transition that was not stored. Every caller goes through
 * here: the worker's runners, reconcile and peer take-over, the sweeper, the workflow tasks, the
 * OAuth and Events handlers, the embedded parent and the operator actions.
 */
export async function applyAndPerform(
  deps: ApplyAndPerformDeps,
  performer: EffectPerformer,
  linkId: string,
  event: LinkEvent,
  options: ApplyEventOptions = {},
): Promise<ApplyEventResult> {
  const result = await applyEvent(deps, linkId, event, options);
  await performEffects(deps, performer, result.link, result.effects);
  return result;
}
