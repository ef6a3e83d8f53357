import { applyDetached, pagesOwnedBy, type ApplyEventDeps } from '../../shared/app';
import { isHeld, isParked } from '../../shared/domain';
import type { LinkRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';
import type { LinkRunner } from './link-runner';

/**
 * Brings a worker's view and the store back together:
 * - a runner whose link is no longer ours (re-claimed elsewhere) or is parked lets go;
 * - a link the store says we hold, live, but that no runner holds (an event could not be
 *   written) is given up with OWNER_LOST, so the restart workflow reconnects it.
 * The owner index is eventually consistent, so absence there is confirmed by a consistent read.
 *
 * A held link without a runner is not always an orphan: the restart workflow moves a link whose
 * runner let go back to `connecting` while it is still ours, and it stays so until a worker claims
 * its connect command from the queue. So the judgement is made on the record itself, never on its
 * state alone: it must have stood still for `quietMs` (a lease: anyone acting on the link writes it
 * sooner), and OWNER_LOST is written only if the record is still the very version judged. A
 * `connecting` record is the workflow's for longer: its connect task waits up to its timeout for a
 * worker to take the command, then applies CONNECT_FAILED itself, so reconcile waits that timeout
 * plus a lease (`connectingQuietMs`). Repairing it after a lease (what was) started a second
 * restart for a link whose first still waited in a backed-up queue: in a storm every repair queued
 * one more command, and the queue grew faster than workers drained it.
 */
export async function reconcileOwnedLinks(
  deps: WorkerDeps & Pick<ApplyEventDeps, 'policy'>,
  runners: Map<string, LinkRunner>,
  pendingClaims: Set<string>,
  quiet: { quietMs: number; connectingQuietMs: number },
): Promise<void> {
  const stillFor = (link: LinkRecord) => (link.state === 'connecting' ? quiet.connectingQuietMs : quiet.quietMs);
  const owned = new Map<string, LinkRecord>();
  for await (const page of pagesOwnedBy(deps.links, deps.workerId, 200)) for (const link of page) owned.set(link.id, link);

  for (const runner of [...runners.values()]) {
    const indexed = owned.get(runner.id);
    const link = indexed && indexed.epoch === runner.fence.epoch ? indexed : await deps.links.get(runner.id);
    if (!link || link.owner !== deps.workerId || link.epoch !== runner.fence.epoch) {
      await runner.stop('no longer the owner');
    } else if (isParked(link.state)) {
      await runner.stop(`parked: ${link.state}`);
    } else if (
      link.state === 'open' &&
      link.snapshot.context.tokenVersion !== undefined &&
      runner.currentTokenVersion !== undefined &&
      runner.currentTokenVersion < link.snapshot.context.tokenVersion
    ) {
      // A reinstall rotated the token (REGISTERED applied by the OAuth handler): move to it.
      void runner.replace('token_rotated');
    }
  }

  const unattended = (id: string) => !runners.has(id) && !pendingClaims.has(id);
  for (const link of owned.values()) {
    if (!unattended(link.id) || !isHeld(link.state) || !standsStill(deps, link, stillFor(link))) continue;
    const fresh = await deps.links.get(link.id);
    if (!fresh || !unattended(link.id)) continue;
    const orphaned = (l: LinkRecord) => l.owner === deps.workerId && l.version === fresh.version && isHeld(l.state) && standsStill(deps, l, stillFor(l));
    if (!orphaned(fresh)) continue;
    try {
      // No runner holds it, so its effects are performed as by a caller without a socket.
      const result = await applyDetached(deps, link.id, { type: 'OWNER_LOST' }, { fence: { owner: deps.workerId, epoch: fresh.epoch }, when: orphaned });
      if (result.skipped) continue;
      deps.log.warn('repaired an orphaned link', { linkId: link.id, state: fresh.state, stillSinceMs: deps.clock.now() - fresh.updatedAt });
    } catch (error) {
      deps.log.warn('could not repair an orphaned link', { linkId: link.id, error });
    }
  }
}

/** Nobody has written the link for `quietMs`: whoever was acting on it would have by now. */
const standsStill = (deps: Pick<WorkerDeps, 'clock'>, link: LinkRecord, quietMs: number): boolean => deps.clock.now() - link.updatedAt >= quietMs;
