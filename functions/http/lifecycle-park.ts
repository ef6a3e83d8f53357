import { parkInstallation, type LifecycleEventBody } from '../../shared/app';
import { settleWithin } from '../../shared/time';
import type { HttpDeps } from './deps';

/** The parts of an Events API body this reads (all unchecked input): the lifecycle fields, and the URL check's challenge. */
export interface EventBody extends LifecycleEventBody {
  challenge?: unknown;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Parks the installation an `app_uninstalled` / `tokens_revoked` names. True: answer 200 (done,
 * nothing to do, or, where the process outlives its answers, still going after `answerWithinMs`);
 * false: it failed and Slack should retry (the claim was released).
 */
export async function parkWithinAnswer(deps: HttpDeps, body: EventBody, reason: string, eventId: string, retry: string | undefined): Promise<boolean> {
  const work = park(deps, body, reason, eventId, retry);
  const outcome = deps.answerWithinMs === undefined ? { done: true as const, value: await work } : await settleWithin(work, deps.answerWithinMs);
  if (outcome.done) return outcome.value;
  deps.log.info('lifecycle event still being handled after the answer', { eventId, reason });
  void work.then((ok) => {
    if (!ok) deps.log.error('lifecycle event failed after the answer: Slack will not retry; the link parks at its next connect (invalid_auth)', { eventId, reason });
  });
  return true;
}

async function park(deps: HttpDeps, body: EventBody, reason: string, eventId: string, retry: string | undefined): Promise<boolean> {
  const { log } = deps;
  const claimId = `slack-event:${eventId}`;
  const now = deps.clock.now();
  if (!(await deps.dedupe.claimOnce(claimId, now).catch(() => true))) {
    log.info('duplicate lifecycle event ignored', { eventId, retry });
    return true;
  }
  try {
    const eventTime = typeof body.event_time === 'number' ? body.event_time * 1000 : undefined;
    const result = await parkInstallation(deps, { appId: deps.config.appId, protocol: deps.config.protocol }, {
      teamId: str(body.team_id),
      enterpriseId: str(body.enterprise_id) ?? str(body.context_enterprise_id),
      reason,
      ...(eventTime === undefined ? {} : { eventTime }),
    });
    const fields = { eventId, reason, teamId: str(body.team_id), outcome: result.outcome, linkId: result.linkId, retry };
    if (result.outcome === 'not_found') {
      // Nothing of ours: forget the claim too, so an unknown team leaves no trace.
      await deps.dedupe.forget(claimId);
      log.warn('lifecycle event for an unknown installation', fields);
    } else {
      log.info('installation parked by Slack event', fields);
    }
    return true;
  } catch (error) {
    log.error('lifecycle event failed; released for a retry', { eventId, reason, error });
    await deps.dedupe.forget(claimId).catch(() => undefined);
    return false;
  }
}
