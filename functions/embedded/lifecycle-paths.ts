import { announceLifecycle, reactivateParkedPool, type AppSecrets, type LifecycleNoticeDeps, type OperatorDeps } from '../../shared/app';
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

// The operator's deactivate / reactivate with the bot told is shared with the CLI on AWS.
export { operatorSetLinksActive } from '../../shared/app';
