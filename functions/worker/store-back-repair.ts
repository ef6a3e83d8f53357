import { isStoreUnavailable } from '../../shared/adapters/dynamodb';
import { applyDetached } from '../../shared/app';
import { isParked } from '../../shared/domain';
import type { Fence, LinkRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';

/** What the repair asks of the worker that let the link go. */
export interface RepairHost {
  /** The worker still runs (neither stopped nor fenced): a repair after that is a peer's to make. */
  running(): boolean;
  /** A runner of this worker holds the link again (a new claim): nothing to repair. */
  holds(linkId: string): boolean;
}

/**
 * A link a runner let go because the store did not answer its write: once the store answers,
 * OWNER_LOST (the restart workflow reconnects it), only if it is still ours, not parked, and no
 * runner took it up meanwhile. Retried with a capped backoff (250 ms doubling to 5 s) while the
 * store stays away. Waiting for reconcile instead left a storm's let-go links a quiet lease
 * (60-80 s) without a socket.
 */
export function repairWhenStoreAnswers(deps: Parameters<typeof applyDetached>[0] & Pick<WorkerDeps, 'workerId'>, host: RepairHost, linkId: string, fence: Fence, attempt = 0): void {
  const delayMs = Math.min(5_000, 250 * 2 ** attempt);
  setTimeout(() => {
    if (!host.running() || host.holds(linkId)) return;
    // Live, not only held: a DROPPED that landed left it in backoff, its retry never announced.
    const ours = (l: LinkRecord) => l.owner === deps.workerId && l.epoch === fence.epoch && !isParked(l.state) && !host.holds(linkId);
    applyDetached(deps, linkId, { type: 'OWNER_LOST' }, { fence, when: ours }).then(
      (result) => {
        if (!result.skipped) deps.log.info('repaired a link let go while the store was away', { linkId });
      },
      (error: unknown) => {
        if (isStoreUnavailable(error)) repairWhenStoreAnswers(deps, host, linkId, fence, attempt + 1);
        else deps.log.warn('could not repair a link let go while the store was away; reconcile will', { linkId, error });
      },
    );
  }, delayMs).unref?.();
}
