import type { LinkEvent } from '../../shared/domain';
import type { Fence, LinkRecord } from '../../shared/ports';

/** What `resumeLandedWrite` needs of a runner. */
export interface LandedWriteHolder {
  readonly fence: Fence;
  readonly socketPhase: string;
  connect(taskToken: undefined, path: 'landed'): Promise<void>;
}

/**
 * A runner's event changed nothing, yet the record is in the very state that event leads to, at
 * the runner's own fence: the write most likely landed on an earlier try whose answer never came
 * (a store call that timed out in a storm; the conditional retry then found the work done), so
 * the effects that write asked for were never performed. Nobody else will perform them: the link
 * is ours and a runner holds it, so reconcile leaves it be. Seen in the storm: DROPPED landed,
 * its retry never started, and the link sat in backoff at attempt 0 with no log line until the
 * sweeper's overdue pass. So perform what the record still asks of its holder: in backoff, the
 * retry it plans (`retry`, as the landed write's effect would have); connecting, the connect.
 * Only while the runner has no socket and no connect in flight (`down`).
 */
export async function resumeLandedWrite(holder: LandedWriteHolder, event: LinkEvent, link: LinkRecord, retry: (link: LinkRecord) => Promise<void>): Promise<void> {
  if (holder.socketPhase !== 'down' || link.owner !== holder.fence.owner || link.epoch !== holder.fence.epoch) return;
  if (link.state === 'backoff' && (event.type === 'DROPPED' || event.type === 'CONNECT_FAILED')) await retry(link);
  else if (link.state === 'connecting' && event.type === 'RETRY') void holder.connect(undefined, 'landed');
}
