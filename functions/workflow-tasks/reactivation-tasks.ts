import { parseLinkId } from '../../shared/app';
import { classifySlackFailure } from '../../shared/domain';
import { NoCredentialError, SlackApiError } from '../../shared/ports';
import type { WorkflowTaskDeps } from './deps';
import type { LoopState } from './link-tasks';
import { TaskError } from './task-error';
import { applyInWorkflow } from './workflow-effects';
import { announceReactivated, announceRejected } from './reactivation-notices';
import { CONNECT_FAILURES, delaySecondsOf } from '../../shared/adapters/stepfunctions/contract';

export interface Reactivation {
  linkId: string;
  tokenVersion: number;
}

/** `proceed: false` carries the reason, which the definition's TokenRejected state records as the execution's cause. */
export type Verification = { linkId: string; tokenVersion: number; proceed: true } | { linkId: string; tokenVersion: number; proceed: false; reason: string };

/**
 * Is the installation's new token good? `auth.test` with the token the Credentials port hands
 * out. A revoked or inactive answer (by the one classification table) rejects it, and the link
 * stays parked; so does a token of another workspace than the link's (`team_mismatch`); anything
 * transient is thrown as `Link.Transient` for the definition's Retry.
 * Socket Mode links connect with the app-level token, which `auth.test` does not accept; their
 * check is `apps.connections.open` itself, on connect.
 */
export async function verifyToken(deps: WorkflowTaskDeps, input: Reactivation): Promise<Verification> {
  const identity = parseLinkId(input.linkId);
  const rejected = async (reason: string): Promise<Verification> => {
    deps.log.warn('reactivation: token rejected, link stays parked', { linkId: input.linkId, tokenVersion: input.tokenVersion, reason });
    deps.metrics.put('FatalErrors', 1, { Code: reason, State: 'reactivation' });
    await announceRejected(deps, input.linkId, reason, input.tokenVersion);
    return { linkId: input.linkId, tokenVersion: input.tokenVersion, proceed: false, reason };
  };
  let credential;
  try {
    credential = await deps.credentials.forLink(identity);
  } catch (error) {
    if (error instanceof NoCredentialError) return rejected(error.reason);
    throw error;
  }
  if (credential.tokenVersion < input.tokenVersion) {
    // The install that started this execution is not readable yet: let the Retry ask again.
    throw new TaskError(CONNECT_FAILURES.transient, `credential version ${credential.tokenVersion} is older than ${input.tokenVersion}`);
  }
  if (identity.protocol === 'rtm') {
    let who;
    try {
      who = await deps.slack.authTest(credential.token);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      const failure = classifySlackFailure(error.retryAfterMs === undefined ? error.error : { error: error.error, retryAfterMs: error.retryAfterMs });
      if (failure.kind === 'revoked' || failure.kind === 'inactive') return rejected(failure.code);
      throw new TaskError(CONNECT_FAILURES.transient, `auth.test: ${failure.code}`, { cause: error });
    }
    // The link is keyed by its installation (a team, or an enterprise for an org-wide install): a
    // token of another workspace must never be connected in its place.
    if (who.teamId !== identity.teamId && who.enterpriseId !== identity.teamId) {
      deps.log.error('reactivation refused: the token belongs to another workspace', { linkId: input.linkId, teamId: who.teamId });
      return rejected('team_mismatch');
    }
  }
  return { linkId: input.linkId, tokenVersion: credential.tokenVersion, proceed: true };
}

/**
 * REGISTERED with the verified token version (and the bot told `lifeline_reactivated` when that
 * brought a parked link back); a link that does not exist yet (a first install)
 * is created with CONNECT. Goes on to connect only when the event asked for one: an open link
 * moves to the new token on its own worker (make-before-break), with no command from here.
 */
export async function applyRegistered(deps: WorkflowTaskDeps, input: Reactivation): Promise<LoopState> {
  const existing = await deps.links.get(input.linkId);
  const result = await applyInWorkflow(deps, input.linkId, existing ? { type: 'REGISTERED', tokenVersion: input.tokenVersion } : { type: 'CONNECT' });
  const { link } = result;
  // Told here, after the token passed VerifyToken, not when the reinstall started the workflow.
  await announceReactivated(deps, existing, link, result.changed, input.tokenVersion);
  return {
    linkId: link.id,
    epoch: link.epoch,
    attempt: link.attempt,
    delaySeconds: delaySecondsOf(0),
    proceed: link.state === 'connecting' && result.effects.some((effect) => effect.type === 'requestConnect'),
  };
}
