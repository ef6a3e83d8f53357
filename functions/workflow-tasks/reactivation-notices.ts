import { announceLifecycle, parseLinkId } from '../../shared/app';
import { isParked } from '../../shared/domain';
import type { LinkRecord } from '../../shared/ports';
import type { WorkflowTaskDeps } from './deps';

/**
 * What the reactivation workflow tells the bot, once its outcome is known (not when it starts:
 * a reinstall whose token fails the check has not reactivated anything).
 *
 * - `lifeline_reactivated` (reason `reinstalled`) when ApplyRegistered really moved the link out of
 *   its park (or created it): the token passed VerifyToken and a connect is on its way.
 * - `lifeline_parked` with the check's refusal (`token_revoked`, `team_mismatch`, ...) when
 *   VerifyToken rejected the token: the installation record was saved active by the OAuth
 *   callback and the person saw "Installed", so the bot learns the reinstall did not take and why.
 */
export async function announceReactivated(deps: WorkflowTaskDeps, before: LinkRecord | undefined, after: LinkRecord, changed: boolean, tokenVersion: number): Promise<void> {
  const cameBack = changed && (before === undefined || isParked(before.state)) && !isParked(after.state);
  if (!cameBack) return;
  await announce(deps, after.id, 'lifeline_reactivated', 'reinstalled', tokenVersion);
}

export async function announceRejected(deps: WorkflowTaskDeps, linkId: string, reason: string, tokenVersion: number): Promise<void> {
  await announce(deps, linkId, 'lifeline_parked', reason, tokenVersion);
}

async function announce(deps: WorkflowTaskDeps, linkId: string, kind: 'lifeline_reactivated' | 'lifeline_parked', reason: string, tokenVersion: number): Promise<void> {
  const identity = parseLinkId(linkId);
  await announceLifecycle(
    { ...(deps.sink ? { sink: deps.sink } : {}), clock: deps.clock, log: deps.log },
    {
      kind,
      appId: identity.appId,
      protocol: identity.protocol,
      // A workspace's link names its installation; a pool link (never reactivated by this workflow today) names none.
      ...(identity.protocol === 'rtm' ? { installId: identity.teamId } : {}),
      reason,
      linkIds: [linkId],
      tokenVersion,
    },
  );
}
