import type { LinkRecord } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { pagesOwnedBy } from './link-pages';

/**
 * A worker is dead (its lease ran out, or its parent saw it exit): every link it owned gets
 * OWNER_LOST and the effects are performed (held links go to backoff with an immediate retry,
 * pending retries are re-announced). A page at a time, in parallel, so failover time does not
 * grow with the dead worker's link count. Each link is stepped on its listed record: the write
 * is conditional on that version, so an outdated index entry costs a re-read, not a wrong
 * transition. Failures are logged and counted; the sweeper retries what is left.
 */
export async function handOverLinksOf(
  deps: ApplyEventDeps & DetachedEffectDeps,
  owner: string,
  pageSize = 100,
): Promise<{ handedOver: number; failed: number }> {
  let handedOver = 0;
  let failed = 0;
  for await (const page of pagesOwnedBy(deps.links, owner, pageSize)) {
    const done = await applyOwnerLost(deps, page, owner);
    handedOver += done.handedOver;
    failed += done.failed;
  }
  return { handedOver, failed };
}

/**
 * OWNER_LOST on each listed link, all in parallel, each stepped on its listed record, with the
 * effects performed. A failure is logged and counted, never thrown.
 */
export async function applyOwnerLost(
  deps: ApplyEventDeps & DetachedEffectDeps,
  links: readonly LinkRecord[],
  onlyFrom?: string,
): Promise<{ handedOver: number; failed: number }> {
  // `onlyFrom`: a link is handed over only while that worker still owns it, so a repeated pass
  // (a retry, a lagging owner index) never steps a link someone else holds by now.
  const when = onlyFrom === undefined ? {} : { when: (current: LinkRecord) => current.owner === onlyFrom };
  const results = await Promise.allSettled(
    links.map((link) => applyDetached(deps, link.id, { type: 'OWNER_LOST' }, { known: link, ...when })),
  );
  let handedOver = 0;
  let failed = 0;
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') handedOver += 1;
    else {
      failed += 1;
      deps.log.error('could not apply OWNER_LOST', { linkId: links[i]?.id, error: r.reason });
    }
  }
  return { handedOver, failed };
}

export interface HandOverRetry {
  /** Waits on the caller's clock. */
  sleep(ms: number): Promise<void>;
  /** Checked before every pass: false stops retrying (the caller is shutting down). Default: always. */
  stillWanted?(): boolean;
  /** The first retry waits this long, doubling up to `maxDelayMs`. Defaults 200 and 5,000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * `handOverLinksOf`, repeated until a whole pass lists every link the dead worker owned and hands
 * each over: a store outage during a takeover delays it instead of leaving the links to the
 * sweeper. Each pass re-lists (the links handed over are no longer the worker's) and steps a link
 * only while that worker still owns it, so repeating is harmless.
 */
export async function handOverLinksUntilDone(
  deps: ApplyEventDeps & DetachedEffectDeps,
  owner: string,
  retry: HandOverRetry,
): Promise<{ handedOver: number; passes: number }> {
  let handedOver = 0;
  const base = retry.baseDelayMs ?? 200;
  const cap = retry.maxDelayMs ?? 5_000;
  for (let pass = 1; ; pass++) {
    try {
      const done = await handOverLinksOf(deps, owner);
      handedOver += done.handedOver;
      if (done.failed === 0) return { handedOver, passes: pass };
    } catch (error) {
      deps.log.warn("listing a dead worker's links failed; retrying", { owner, pass, error });
    }
    if (retry.stillWanted && !retry.stillWanted()) return { handedOver, passes: pass };
    await retry.sleep(Math.min(cap, base * 2 ** (pass - 1)));
  }
}
