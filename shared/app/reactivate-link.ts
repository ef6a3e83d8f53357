import { classifySlackError } from '../domain';
import { SlackApiError, type Credentials, type ReactivationRequest, type SlackApi } from '../ports';
import { applyEvent, type ApplyEventDeps } from './apply-event';
import { performDetachedEffects, type DetachedEffectDeps } from './detached-effects';
import { parseLinkId } from './link-id';

export interface ReactivateDeps extends ApplyEventDeps, DetachedEffectDeps {
  credentials: Credentials;
  slack: Pick<SlackApi, 'authTest'>;
}

/** `retryable`: Slack or the network failed transiently; a durable workflow should try again. */
export type ReactivationOutcome = { ok: true; changed: boolean } | { ok: false; error: string; retryable: boolean };

/**
 * The reactivation workflow's body (DESIGN flow 6): verify the new token with `auth.test`, then
 * REGISTERED, then connect. The interim in-process workflow runs it directly; the Step Functions
 * version runs the same three steps as tasks. A token Slack refuses leaves the link parked: only
 * another install can bring it back. The token is checked against the installation it claims.
 */
export async function reactivateLink(deps: ReactivateDeps, request: ReactivationRequest): Promise<ReactivationOutcome> {
  const identity = parseLinkId(request.linkId);
  let tokenVersion: number;
  try {
    const credential = await deps.credentials.forLink(identity);
    tokenVersion = credential.tokenVersion;
    const who = await deps.slack.authTest(credential.token);
    if (who.teamId !== request.teamId && who.enterpriseId !== request.teamId) {
      deps.log.error('reactivation refused: the token belongs to another workspace', { linkId: request.linkId, teamId: who.teamId });
      return { ok: false, error: 'team_mismatch', retryable: false };
    }
  } catch (error) {
    const code = error instanceof SlackApiError ? error.error : ((error as { reason?: string }).reason ?? 'verify_failed');
    const kind = classifySlackError({ error: code });
    const retryable = kind === 'transient' || kind === 'ratelimited';
    deps.log.warn('reactivation: token not verified', { linkId: request.linkId, error: code, retryable });
    return { ok: false, error: code, retryable };
  }
  const exists = (await deps.links.get(request.linkId)) !== undefined;
  const result = await applyEvent(deps, request.linkId, exists ? { type: 'REGISTERED', tokenVersion } : { type: 'CONNECT' });
  await performDetachedEffects(deps, result.link, result.effects);
  return { ok: true, changed: result.changed };
}
