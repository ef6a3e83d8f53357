import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';

/** Registrations in flight at once: enough to keep a store's connection pool busy, bounded so a big fleet does not queue thousands of calls at once. */
export const DEFAULT_REGISTER_CONCURRENCY = 32;

/**
 * Registers links that may be new: each is created with CONNECT in one conditional write (no read
 * first) and its connect command queued, `concurrency` at a time, so a worker already polling
 * claims the first links while the rest are still being written. A link that already exists is
 * left as it is. Resolves with the number created; the first failure rejects once the registrations
 * in flight have settled (the rest are not started).
 */
export async function registerNewLinks(
  deps: ApplyEventDeps & DetachedEffectDeps,
  linkIds: readonly string[],
  concurrency = DEFAULT_REGISTER_CONCURRENCY,
): Promise<number> {
  let next = 0;
  let created = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < linkIds.length) {
      const linkId = linkIds[next++] as string;
      try {
        const result = await applyDetached(deps, linkId, { type: 'CONNECT' }, { createOnly: true });
        if (!result.skipped) created += 1;
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(concurrency, linkIds.length)) }, lane));
  const rejected = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (rejected) throw rejected.reason;
  return created;
}

/**
 * Registers links from nothing without a store call here: each gets a connect command marked
 * `register`, and the worker that takes it creates the link already claimed (one conditional
 * write, `createConnecting` with an owner) before it opens the socket. A link that exists turns
 * the command into an ordinary one at epoch 0, which claims only a link nobody claimed yet.
 * For a start with thousands of new links, where writing each record first would cost a store
 * call per link before any socket opens; a single install still writes its record at once.
 */
export async function queueNewLinks(deps: Pick<DetachedEffectDeps, 'queue'>, linkIds: readonly string[]): Promise<void> {
  for (const linkId of linkIds) await deps.queue.send({ linkId, epoch: 0, register: true });
}
