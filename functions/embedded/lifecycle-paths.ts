import { announceLifecycle, reactivateParkedPool, setLinksActive, type AppSecrets, type LifecycleNoticeDeps, type OperatorActionResult, type OperatorDeps, type OperatorTarget } from '../../shared/app';
import { isParked, type LinkProtocol, type LinkStateName } from '../../shared/domain';
import type { Sink } from '../../shared/ports';

type Deps = OperatorDeps & { noticeSink: Sink };

const noticeDeps = (deps: Deps): LifecycleNoticeDeps => ({ sink: deps.noticeSink, clock: deps.clock, log: deps.log });

/**
 * At start: every app whose app token changed since the last start gets its pool links parked
 * for the app token back (`reactivateParkedPool`), and the bot hears `lifeline_reactivated`.
 */
export async function reactivatePoolsForNewAppTokens(
  deps: Deps,
  apps: ReadonlyMap<string, AppSecrets>,
  changed: (appId: string, appToken: string) => boolean,
): Promise<string[]> {
  const back: string[] = [];
  for (const [appId, secrets] of apps) {
    if (!secrets.appToken || !changed(appId, secrets.appToken)) continue;
    const linkIds = await reactivateParkedPool(deps, appId, 'app_token_changed');
    if (linkIds.length === 0) continue;
    back.push(...linkIds);
    await announceLifecycle(noticeDeps(deps), { kind: 'lifeline_reactivated', appId, protocol: 'socket', reason: 'app_token_changed', linkIds });
  }
  return back;
}

/**
 * The operator's deactivate / reactivate, with the bot told: one notice per workspace (RTM links)
 * and one per app for its Socket Mode pool, only for links the action really moved.
 */
export async function operatorSetLinksActive(deps: Deps, target: OperatorTarget, active: boolean): Promise<OperatorActionResult> {
  const result = await setLinksActive(deps, target, active);
  const groups = new Map<string, { appId: string; protocol: LinkProtocol; installId?: string; linkIds: string[] }>();
  for (const link of result.links) {
    const parked = (state: string): boolean => isParked(state as LinkStateName);
    const moved = link.changed && parked(link.from) !== parked(link.to) && parked(link.to) !== active;
    if (!moved) continue;
    const [prefix, appId = '', last = ''] = link.id.split(':');
    const protocol: LinkProtocol = prefix === 'rtm' ? 'rtm' : 'socket';
    const key = protocol === 'rtm' ? link.id : `sm:${appId}`;
    const group = groups.get(key) ?? { appId, protocol, ...(protocol === 'rtm' ? { installId: last } : {}), linkIds: [] };
    group.linkIds.push(link.id);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    await announceLifecycle(noticeDeps(deps), { kind: active ? 'lifeline_reactivated' : 'lifeline_parked', reason: 'operator', ...group });
  }
  return result;
}
