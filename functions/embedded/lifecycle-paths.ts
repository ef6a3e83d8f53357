import { reactivatePoolOnNewAppToken, type AppSecrets, type OperatorDeps } from '../../shared/app';
import type { AppTokenMemory, Sink } from '../../shared/ports';

type Deps = OperatorDeps & { noticeSink: Sink };

/**
 * At start: every app whose app token differs from the one remembered (`AppTokenMemory`: the data
 * dir's `app-tokens.json` here, the table on AWS) gets its pool links parked for the app token
 * back, and the bot hears `lifeline_reactivated` (`reactivatePoolOnNewAppToken`, the rule both
 * modes share).
 */
export async function reactivatePoolsForNewAppTokens(deps: Deps, apps: ReadonlyMap<string, AppSecrets>, appTokens: AppTokenMemory): Promise<string[]> {
  const back: string[] = [];
  for (const [appId, secrets] of apps) {
    if (!secrets.appToken) continue;
    back.push(...(await reactivatePoolOnNewAppToken({ ...deps, sink: deps.noticeSink, appTokens }, appId, secrets.appToken)));
  }
  return back;
}

// The operator's deactivate / reactivate with the bot told is shared with the CLI on AWS.
export { operatorSetLinksActive } from '../../shared/app';
