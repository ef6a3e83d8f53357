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
    const done = await applyOwnerLost(deps, page);
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
): Promise<{ handedOver: number; failed: number }> {
  const results = await Promise.allSettled(
    links.map((link) => applyDetached(deps, link.id, { type: 'OWNER_LOST' }, { known: link })),
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
