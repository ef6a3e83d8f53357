import { createConnecting, InvalidLinkIdError, type ApplyEventDeps } from '../../shared/app';
import { FencedWriteError, LinkExistsError, LinkNotFoundError, type ConnectCommand, type LinkRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';

/** A connect command's claim: the link now ours, or why the command is stale (for the workflow waiting on it). */
export type ClaimOutcome = { claimed: LinkRecord } | { stale: string };

/**
 * Claims the link a connect command names, in one conditional write with no read first: the claim
 * holds only while the link is still `connecting` at the command's epoch. Refused, the command is
 * stale (the link moved on since it was sent, or another worker claimed it first); the store read
 * the link to say so. A registration from nothing creates the link already ours (one write); if it
 * exists, it is claimed as usual. Any other failure (the store away) is thrown: the command stays
 * in the queue.
 */
export async function claimCommand(
  deps: ApplyEventDeps & Pick<WorkerDeps, 'workerId'>,
  command: Pick<ConnectCommand, 'linkId' | 'epoch' | 'register'>,
): Promise<ClaimOutcome> {
  try {
    const claimed =
      (command.register && (await createClaimed(deps, command.linkId))) ||
      (await deps.links.claim({ id: command.linkId, owner: deps.workerId, expectedEpoch: command.epoch, expectedState: 'connecting', now: deps.clock.now() }));
    return { claimed };
  } catch (error) {
    if (!(error instanceof FencedWriteError || error instanceof LinkNotFoundError || error instanceof InvalidLinkIdError)) throw error;
    return { stale: staleClaimReason(error) };
  }
}

async function createClaimed(deps: ApplyEventDeps & Pick<WorkerDeps, 'workerId'>, linkId: string): Promise<LinkRecord | undefined> {
  try {
    return (await createConnecting(deps, linkId, deps.workerId)).link;
  } catch (error) {
    if (error instanceof LinkExistsError) return undefined;
    throw error;
  }
}

const staleClaimReason = (error: FencedWriteError | LinkNotFoundError | InvalidLinkIdError): string => {
  if (error instanceof FencedWriteError) return `link moved on: now at epoch ${error.actual.epoch} (owner ${error.actual.owner ?? '-'})`;
  return error instanceof LinkNotFoundError ? 'no such link' : error.message;
};
