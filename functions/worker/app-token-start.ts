import { reactivatePoolOnNewAppToken } from '../../shared/app';
import type { SlackAppSecretsConfig } from '../../shared/config';
import type { AppTokenMemory } from '../../shared/ports';
import type { Worker } from './worker';

/**
 * AWS, at a worker's start: the app token comes from the Slack app secret (ECS injects it at task
 * start, so a changed secret reaches the fleet with its next deployment or task replacement).
 * When it is not the token the fleet last ran with (`AppTokenMemory` in the table: one worker of
 * those starting together wins the conditional write), the pool links parked for the app token
 * come back and the bot hears `lifeline_reactivated`. A failure is logged and changes nothing
 * else: the worker runs, and a reinstall or `lifeline reactivate --app` still brings the pool back.
 */
export async function bringBackPoolOnNewAppToken(worker: Worker, appTokens: AppTokenMemory, app: Pick<SlackAppSecretsConfig, 'appId' | 'protocol' | 'appToken'>): Promise<string[]> {
  if (app.protocol !== 'socket' || !app.appToken) return [];
  const deps = { ...worker.deps, writeVersion: () => worker.snapshotWriteVersion(), appTokens };
  try {
    return await reactivatePoolOnNewAppToken(deps, app.appId, app.appToken);
  } catch (error) {
    worker.deps.log.warn('app token check at start failed: a pool parked for its app token stays parked (a reinstall or `lifeline reactivate --app` brings it back)', { appId: app.appId, error });
    return [];
  }
}
