import { applyEvent, parseLinkId, performDetachedEffects, type ApplyEventDeps, type DetachedEffectDeps } from '../../shared/app';
import { classifySlackError } from '../../shared/domain';
import { SlackApiError, type Credentials, type ReactivationRequest, type SlackApi } from '../../shared/ports';

export type ReactivationDeps = ApplyEventDeps & DetachedEffectDeps & { credentials: Credentials; slack: SlackApi };

/**
 * The reactivation workflow, run in process until the Step Functions interpreter takes it over
 * (issue 5): verify the new token (`auth.test`), apply REGISTERED (or CONNECT for a workspace
 * never seen before), and send the connect. A token Slack refuses parks the link again.
 */
export async function runReactivation(deps: ReactivationDeps, request: ReactivationRequest): Promise<void> {
  const identity = parseLinkId(request.linkId);
  const credential = await deps.credentials.forLink(identity);
  try {
    await deps.slack.authTest(credential.token);
  } catch (error) {
    if (!(error instanceof SlackApiError)) throw error;
    const verdict = classifySlackError(error.error);
    if (verdict !== 'inactive' && verdict !== 'revoked') throw error;
    deps.log.warn('reinstalled token refused by Slack; link stays parked', { linkId: request.linkId, error: error.error });
    return;
  }
  const existing = await deps.links.get(request.linkId);
  const event = existing ? ({ type: 'REGISTERED', tokenVersion: request.tokenVersion } as const) : ({ type: 'CONNECT' } as const);
  const result = await applyEvent(deps, request.linkId, event);
  await performDetachedEffects(deps, result.link, result.effects);
}
