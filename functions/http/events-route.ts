import { parkInstallation } from '../../shared/app';
import { settleWithin } from '../../shared/time';
import type { HttpDeps } from './deps';
import { verifySlackSignature } from './slack-signature';
import { text, type HttpRequest, type HttpResponse } from './types';

interface EventBody {
  type?: unknown;
  challenge?: unknown;
  api_app_id?: unknown;
  team_id?: unknown;
  enterprise_id?: unknown;
  context_enterprise_id?: unknown;
  event_id?: unknown;
  event_time?: unknown;
  event?: { type?: unknown; tokens?: { bot?: unknown } };
}

/** The lifecycle events this endpoint acts on, and the reason they park with. */
function parkReason(body: EventBody): string | undefined {
  const type = body.event?.type;
  if (type === 'app_uninstalled') return 'app_uninstalled';
  // User-token revocations leave the bot working: only a revoked bot token parks (SLACK-PROTOCOL §4.1).
  if (type === 'tokens_revoked' && Array.isArray(body.event?.tokens?.bot) && body.event.tokens.bot.length > 0) return 'tokens_revoked';
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `POST /slack/events`: signature and replay window first (nothing unsigned is parsed), then
 * `url_verification`, then the two lifecycle events. Slack retries after 3 s without a 200, so
 * where the runtime allows, slow parking work finishes after the answer (`answerWithinMs`).
 */
export async function handleEvents(deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> {
  if (request.method !== 'POST') return text(405, 'method not allowed', { allow: 'POST' });
  const verdict = verifySlackSignature(deps.config.signingSecret, request.headers, request.body, deps.clock.now());
  if (!verdict.ok) {
    deps.log.warn('event refused', { reason: verdict.reason });
    return text(401, 'invalid request signature');
  }
  let body: EventBody;
  try {
    const parsed: unknown = JSON.parse(request.body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
    body = parsed as EventBody;
  } catch {
    deps.log.warn('event refused', { reason: 'malformed_json' });
    return text(400, 'malformed JSON');
  }
  if (body.type === 'url_verification') {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: String(body.challenge ?? '') }) };
  }
  const reason = body.type === 'event_callback' ? parkReason(body) : undefined;
  const eventId = str(body.event_id);
  if (!reason || !eventId) return text(200, '');
  if (str(body.api_app_id) !== deps.config.appId) {
    deps.log.warn('lifecycle event for another app ignored', { appId: str(body.api_app_id), eventId });
    return text(200, '');
  }
  const retry = request.headers['x-slack-retry-num'];
  const work = park(deps, body, reason, eventId, retry);
  const outcome = deps.answerWithinMs === undefined ? { done: true as const, value: await work } : await settleWithin(work, deps.answerWithinMs);
  if (!outcome.done) {
    deps.log.info('lifecycle event still being handled after the answer', { eventId, reason });
    void work.then((ok) => {
      if (!ok) deps.log.error('lifecycle event failed after the answer: Slack will not retry; the link parks at its next connect (invalid_auth)', { eventId, reason });
    });
    return text(200, '');
  }
  // A failure answers 500 so that Slack's retry tries again (the claim was released).
  return outcome.value ? text(200, '') : text(500, 'try again');
}

/** True when done (or nothing to do); false when it failed and Slack should retry. */
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
