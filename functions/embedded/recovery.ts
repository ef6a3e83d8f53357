import { allLinksIn, applyOwnerLost, handOverLinksUntilDone, type ApplyEventDeps, type DetachedEffectDeps, type HandOverRetry } from '../../shared/app';
import { LIVE_STATES } from '../../shared/domain';
import type { LinkRecord, WorkerRegistry } from '../../shared/ports';

export type RecoveryDeps = ApplyEventDeps & DetachedEffectDeps & { registry: WorkerRegistry };

const BATCH = 50;


/**
 * A worker process is known dead (its parent saw it exit), so there is no need to wait a lease
 * for peers to notice: its item goes and its links get OWNER_LOST now, as a peer would do
 * after the lease. A peer that noticed too finds nothing left, or re-announces a retry, which
 * is harmless (duplicate schedules are dropped). Retried until done: a store outage delays the
 * hand-over instead of leaving the links to the sweeper (`handOverLinksUntilDone`).
 */
export async function recoverDeadWorker(deps: RecoveryDeps, workerId: string, retry: Partial<HandOverRetry> = {}): Promise<number> {
  const options: HandOverRetry = { sleep: unrefSleep, ...retry };
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.registry.deregister(workerId);
      break;
    } catch (error) {
      if (options.stillWanted && !options.stillWanted()) return 0;
      if (attempt === 1) deps.log.warn("removing a dead worker's item failed; retrying", { workerId, error });
      await options.sleep(Math.min(options.maxDelayMs ?? 5_000, 200 * 2 ** (attempt - 1)));
    }
  }
  const { handedOver } = await handOverLinksUntilDone(deps, workerId, options);
  return handedOver;
}

/** A retry's wait that never keeps a stopping process alive. */
const unrefSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * At start, before any worker of this run registers: every registered worker belongs to a
 * previous run (this process holds the store's lock), so forget them all.
 */
export async function forgetPreviousWorkers(registry: WorkerRegistry): Promise<number> {
  const stale = await registry.list();
  for (const worker of stale) await registry.deregister(worker.workerId);
  return stale.length;
}

/**
 * The queue and retry timers of the previous run are gone, so every link that is not parked
 * gets OWNER_LOST: held links go to backoff with an immediate retry, and pending retries are
 * re-announced for when they are due. Parked links (inactive, revoked) are not touched: they
 * stay parked until a reinstall.
 */
export async function resumeLinks(deps: RecoveryDeps): Promise<number> {
  const byId = new Map<string, LinkRecord>();
  for (const link of await allLinksIn(deps.links, LIVE_STATES)) byId.set(link.id, link);
  const links = [...byId.values()];
  let recovered = 0;
  for (let i = 0; i < links.length; i += BATCH) recovered += (await applyOwnerLost(deps, links.slice(i, i + BATCH))).handedOver;
  return recovered;
}
