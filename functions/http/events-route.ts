import { lifecycleParkReason } from '../../shared/app';
import { eventCallbackKey } from '../../shared/app/payload-key';
import { deliverToBot, installationState, retryFields } from './bot-delivery';
import type { HttpDeps } from './deps';
import { parkWithinAnswer, str, type EventBody } from './lifecycle-park';
import { refuseUnsigned } from './signed-request';
import { json, text, type HttpRequest, type HttpResponse } from './types';

/** Events Bolt itself handles without `authorize` (the installation is going away): delivered while the installation exists, parked or not (they park it). */
const LIFECYCLE_TYPES = new Set(['app_uninstalled', 'tokens_revoked']);

/**
 * `POST /slack/events`: signature and replay window first (nothing unsigned is parsed), then
 * `url_verification`; every other `event_callback` of this app goes to the bot (claimed under
 * the key its RTM copy gets, so a message that arrives both ways reaches the bot once), and the
 * two lifecycle events also park the installation. 200 once both are through; 500 when either
 * failed or the bot did not answer in time, so that Slack retries (with `x-slack-retry-num`).
 */
export async function handleEvents(deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> {
  const refused = refuseUnsigned(deps, request, 'event');
  if (refused) return refused;
  let body: EventBody;
  try {
    const parsed: unknown = JSON.parse(request.body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
    body = parsed as EventBody;
  } catch {
    deps.log.warn('event refused', { reason: 'malformed_json' });
    return text(400, 'malformed JSON');
  }
  if (body.type === 'url_verification') return json(200, { challenge: String(body.challenge ?? '') });
  if (body.type !== 'event_callback') return text(200, '');
  const eventId = str(body.event_id);
  if (str(body.api_app_id) !== deps.config.appId) {
    deps.log.warn('event for another app ignored', { appId: str(body.api_app_id), eventId });
    return text(200, '');
  }
  const retry = request.headers['x-slack-retry-num'];
  // The same rule as over Socket Mode (`lifecycleParkReason`): one table of what parks.
  const reason = lifecycleParkReason(body);
  const [parked, delivered] = await Promise.all([
    reason && eventId ? parkWithinAnswer(deps, body, reason, eventId, retry) : Promise.resolve(true),
    toBot(deps, body, request.headers),
  ]);
  // A failure answers 500 so that Slack's retry tries again (its claims were released).
  return parked && delivered ? text(200, '') : text(500, 'try again');
}

/** True: answer 200 (delivered, a duplicate, or nothing to deliver to); false: Slack should retry. */
async function toBot(deps: HttpDeps, body: EventBody, headers: Record<string, string | undefined>): Promise<boolean> {
  const { log } = deps;
  const teamId = str(body.team_id);
  const type = str(body.event?.type);
  const eventId = str(body.event_id);
  if (!deps.sink) return true;
  const installation = await installationState(deps, teamId);
  if (installation === 'none' || (installation === 'parked' && !LIFECYCLE_TYPES.has(type ?? ''))) {
    // Nothing could authorize the bot's calls for this team, and a retry would meet the same.
    // No claim either: an unknown team leaves no trace.
    log.warn('event for a team without an active installation; not delivered', { teamId, eventId, type, installation });
    return true;
  }
  const payload = body as Record<string, unknown>;
  const outcome = await deliverToBot(deps, { kind: 'events_api', teamId, payload, key: eventCallbackKey(deps.config.appId, teamId, payload), ...retryFields(headers) });
  switch (outcome.kind) {
    case 'answered':
    case 'no_bot':
      return true;
    case 'duplicate':
      log.debug('event already delivered (over RTM, or an earlier attempt)', { eventId, type });
      return true;
    case 'refused':
      deps.metrics.put('SinkFailures', 1, { Protocol: deps.config.protocol });
      log.error('the bot refused an event; answered 500 so that Slack retries', { eventId, type, reason: outcome.reason });
      return false;
    case 'late':
      deps.metrics.put('SinkFailures', 1, { Protocol: deps.config.protocol });
      log.error('the bot did not answer an event in time; answered 500 so that Slack retries', { eventId, type });
      return false;
  }
}
