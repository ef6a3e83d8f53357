import type { AppTokenMemory } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import type { DetachedEffectDeps } from './detached-performer';
import { announceLifecycle, type LifecycleNoticeDeps } from './lifecycle-notice';
import { appTokenFingerprint, reactivateParkedPool } from './socket-pool';

export interface AppTokenChangeDeps extends ApplyEventDeps, DetachedEffectDeps, Pick<LifecycleNoticeDeps, 'sink'> {
  appTokens: AppTokenMemory;
}

/**
 * At a start with an app token: if it is not the one remembered, the app's pool links parked for
 * their app token (or `link_disabled`) come back (`reactivateParkedPool`) and the bot hears
 * `lifeline_reactivated` (reason `app_token_changed`). A start with the same token changes nothing,
 * so a truly wrong token costs one connect per change, not one per restart. Returns the links
 * brought back.
 */
export async function reactivatePoolOnNewAppToken(deps: AppTokenChangeDeps, appId: string, appToken: string): Promise<string[]> {
  if (!(await deps.appTokens.remember(appId, appTokenFingerprint(appToken)))) return [];
  const linkIds = await reactivateParkedPool(deps, appId, 'app_token_changed');
  if (linkIds.length > 0) {
    await announceLifecycle({ ...(deps.sink ? { sink: deps.sink } : {}), clock: deps.clock, log: deps.log }, { kind: 'lifeline_reactivated', appId, protocol: 'socket', reason: 'app_token_changed', linkIds });
  }
  return linkIds;
}
