import { HELD_STATES, isHeld, LINK_STATES, type LinkStateName } from '../domain';
import { FencedWriteError, LinkNotFoundError, StaleWriteError, type LinkRecord, type Metrics, type WorkerRegistry } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { judgeWorkers } from './judge-workers';
import { pagesInState } from './link-pages';

export interface SweepDeps extends ApplyEventDeps, DetachedEffectDeps {
  registry: WorkerRegistry;
  metrics: Metrics;
  sleep(ms: number): Promise<void>;
}

export interface SweepOptions {
  /** A backoff link whose retry is overdue by more than this is re-announced. Default 60,000. */
  overdueMs?: number;
  /** Links read per index page. Default 200. */
  pageSize?: number;
}

export interface SweepReport {
  liveWorkers: number;
  deadWorkers: string[];
  ownerLost: number;
  reannounced: number;
  byState: Record<LinkStateName, number>;
  overdue: number;
  /** Links that could not be handled (logged); the next sweep tries again. */
  failures: number;
}

type Outcome = 'done' | 'moved-on' | 'failed';

/**
 * The backstop for when no worker is alive to watch its peers (run every minute):
 * - workers whose heartbeat stood still for a lease are removed, as a peer would;
 * - links held (`connecting`/`open`) by a worker that is not alive get OWNER_LOST, fenced on the
 *   owner and epoch read, so a link re-claimed meanwhile is left alone;
 * - `backoff` links whose retry is overdue get it re-announced (OWNER_LOST in backoff), written
 *   only if the link is still the one read, so a retry that just fired is never undone;
 * - the fleet's links by state go out as `LinksByState{State}` (the workers report their own
 *   with a `WorkerId`), the overdue ones as `LinksByState{State=backoff,Overdue=true}`, and the
 *   live worker count as `LiveWorkers`, which is 0, not missing, when the fleet is gone.
 */
export async function sweepLinks(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const overdueMs = options.overdueMs ?? 60_000;
  const limit = options.pageSize ?? 200;
  const verdicts = await judgeWorkers(deps);
  const byState = Object.fromEntries(LINK_STATES.map((state) => [state, 0])) as Record<LinkStateName, number>;

  const orphans: LinkRecord[] = [];
  for (const state of HELD_STATES) {
    await eachLink(deps, state, { limit }, (link) => {
      byState[state] += 1;
      if (link.owner && !verdicts.live.has(link.owner)) orphans.push(link);
    });
  }
  // A worker that registered after we judged may already hold links: ask the registry once more.
  const registered = new Set((await deps.registry.list()).map((worker) => worker.workerId));
  const outcomes: Outcome[] = [];
  for (const link of orphans) {
    if (registered.has(link.owner ?? '') && !verdicts.dead.includes(link.owner ?? '')) continue;
    outcomes.push(await ownerLostFenced(deps, link));
  }
  const ownerLost = outcomes.filter((outcome) => outcome === 'done').length;

  for (const state of LINK_STATES.filter((s) => !isHeld(s))) {
    await eachLink(deps, state, { limit }, () => void (byState[state] += 1));
  }
  const cutoff = deps.clock.now() - overdueMs;
  const overdueLinks: LinkRecord[] = [];
  await eachLink(deps, 'backoff', { limit, dueAtOrBefore: cutoff }, (link) => void overdueLinks.push(link));
  const retries: Outcome[] = [];
  for (const link of overdueLinks) retries.push(await reannounceRetry(deps, link.id, cutoff));
  const reannounced = retries.filter((outcome) => outcome === 'done').length;
  const failures = [...outcomes, ...retries].filter((outcome) => outcome === 'failed').length;

  for (const state of LINK_STATES) deps.metrics.put('LinksByState', byState[state], { State: state });
  deps.metrics.put('LinksByState', overdueLinks.length, { State: 'backoff', Overdue: 'true' });
  deps.metrics.put('LiveWorkers', verdicts.live.size);
  const report = { liveWorkers: verdicts.live.size, deadWorkers: verdicts.dead, ownerLost, reannounced, byState, overdue: overdueLinks.length, failures };
  deps.log.info('sweep done', { ...report });
  return report;
}

async function eachLink(
  deps: SweepDeps,
  state: LinkStateName,
  query: { limit: number; dueAtOrBefore?: number },
  visit: (link: LinkRecord) => void,
): Promise<void> {
  for await (const page of pagesInState(deps.links, state, query)) page.forEach(visit);
}

/** Someone else moved the link since we read it: nothing is stuck, nothing to do. Other errors are logged and retried next sweep. */
const settle = (deps: SweepDeps, linkId: string, error: unknown): Outcome => {
  if (error instanceof FencedWriteError || error instanceof StaleWriteError || error instanceof LinkNotFoundError) return 'moved-on';
  deps.log.error('sweep could not handle a link', { linkId, error });
  return 'failed';
};

/** OWNER_LOST as the dead owner's claim: fails harmlessly if anyone claimed the link since. */
async function ownerLostFenced(deps: SweepDeps, link: LinkRecord): Promise<Outcome> {
  try {
    const fence = { owner: link.owner ?? '', epoch: link.epoch };
    const result = await applyDetached(deps, link.id, { type: 'OWNER_LOST' }, { fence, maxAttempts: 1 });
    deps.log.warn('owner lost: link handed to the restart workflow', { linkId: link.id, owner: link.owner, state: link.state });
    return result.changed ? 'done' : 'moved-on';
  } catch (error) {
    return settle(deps, link.id, error);
  }
}

/**
 * Re-announces an overdue retry (OWNER_LOST in backoff). The check that it is still overdue is
 * made on the very record stepped, and any write is conditional on its version, so a link that
 * left backoff since the index read (its retry just fired) is never moved back.
 */
async function reannounceRetry(deps: SweepDeps, linkId: string, cutoff: number): Promise<Outcome> {
  try {
    const overdue = (link: LinkRecord) => link.state === 'backoff' && (link.nextAttemptAt ?? 0) <= cutoff;
    const result = await applyDetached(deps, linkId, { type: 'OWNER_LOST' }, { when: overdue });
    if (result.skipped) return 'moved-on';
    deps.log.warn('overdue retry re-announced', { linkId, dueAt: result.link.nextAttemptAt });
    return 'done';
  } catch (error) {
    return settle(deps, linkId, error);
  }
}
