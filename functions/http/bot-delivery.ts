import { randomUUID } from 'node:crypto';
import { installationLinkId } from '../../shared/app';
import type { SinkEvent } from '../../shared/ports';
import { settleWithin } from '../../shared/time';
import type { HttpDeps } from './deps';

/**
 * How long an HTTP delivery waits for the bot's answer: under Slack's 3 s with room for the
 * dedupe claim and the round trip. The embedded bot's own bound (`LIFELINE_HANDLER_TIMEOUT_MS`,
 * 2.5 s by default) usually refuses first; this one holds whatever the sink is.
 */
export const BOT_ANSWER_WITHIN_MS = 2_500;

/** A payload Slack sent over HTTP, on its way to the bot. */
export interface HttpDelivery {
  kind: 'events_api' | 'slash_commands' | 'interactive';
  teamId: string | undefined;
  /** What Bolt's `processEvent` takes as the body: the Events API body, the command's form fields, the interaction's parsed `payload`. */
  payload: Record<string, unknown>;
  /** The dedupe key (`shared/app/payload-key.ts`); none for commands and interactions, which Slack never retries over HTTP. */
  key?: string | undefined;
  retryAttempt?: number;
  retryReason?: string;
}

export type BotOutcome =
  | { kind: 'answered'; ackPayload?: unknown }
  /** Claimed already (over RTM, or by an earlier HTTP attempt): not delivered again. */
  | { kind: 'duplicate' }
  | { kind: 'refused'; reason: string }
  /** No answer within `botAnswerWithinMs`: the claim stays in progress until the answer comes, then is completed (accepted) or released (refused). */
  | { kind: 'late' }
  /** This deployment has no sink for HTTP deliveries (an AWS stack without a bus for the endpoint). */
  | { kind: 'no_bot' };

/**
 * One HTTP delivery through the sink the workers use, claimed under the same dedupe key as its
 * RTM copy: whichever path claims first delivers, the other drops it. A refusal releases the
 * claim, so Slack's retry (events) goes through.
 */
export async function deliverToBot(deps: HttpDeps, delivery: HttpDelivery): Promise<BotOutcome> {
  const { sink, log } = deps;
  if (!sink) return { kind: 'no_bot' };
  const { key } = delivery;
  let holder: string | undefined;
  if (key) {
    const claim = await deps.dedupe.claim(key, deps.clock.now()).catch((error: unknown) => {
      // Without the dedupe store, deliver anyway: a duplicate is better than a loss (as the worker does).
      log.warn('event dedupe unavailable; delivering without it', { key, error });
      return undefined;
    });
    // In progress (its other copy is being delivered now) or completed: not delivered again.
    if (claim && claim.state !== 'claimed') return { kind: 'duplicate' };
    holder = claim?.holder;
  }
  const release = (): Promise<void> => (key && holder ? deps.dedupe.release(key, holder).catch(() => undefined) : Promise.resolve());
  const complete = (ackPayload: unknown): Promise<void> =>
    key && holder ? deps.dedupe.complete(key, holder, deps.clock.now(), ackPayload).then(() => undefined, (error: unknown) => log.warn('could not record a delivered payload', { key, error })) : Promise.resolve();
  const event = sinkEvent(deps, delivery, key);
  const [pending] = sink.deliver([event]);
  const answer = pending ?? Promise.resolve({ ok: false as const, reason: 'the sink gave no answer' });
  const settled = await settleWithin(answer.catch((error: unknown) => ({ ok: false as const, reason: String(error) })), deps.botAnswerWithinMs ?? BOT_ANSWER_WITHIN_MS);
  if (!settled.done) {
    void answer.then((late) => {
      // Its response already went (503/500): an answer payload is lost; an accepted event is
      // completed, so Slack's retry is a duplicate.
      void (late.ok ? complete(late.ackPayload) : release());
      log.warn('the bot answered an HTTP delivery after its response was sent', { kind: delivery.kind, key, ok: late.ok });
    }, () => void release());
    return { kind: 'late' };
  }
  if (!settled.value.ok) {
    await release();
    return { kind: 'refused', reason: settled.value.reason };
  }
  await complete(settled.value.ackPayload);
  return settled.value.ackPayload === undefined ? { kind: 'answered' } : { kind: 'answered', ackPayload: settled.value.ackPayload };
}

function sinkEvent(deps: HttpDeps, delivery: HttpDelivery, key: string | undefined): SinkEvent {
  const { appId, protocol } = deps.config;
  const app = { appId, protocol };
  // RTM: the team's link; a Socket Mode app has no link per team, so the delivery names its path.
  const linkId = (delivery.teamId ? installationLinkId(app, delivery.teamId) : undefined) ?? `http:${appId}`;
  return {
    id: key ?? `${appId}:http:${randomUUID()}`,
    linkId,
    protocol,
    appId,
    ...(delivery.teamId ? { teamId: delivery.teamId } : {}),
    kind: delivery.kind,
    payload: delivery.payload,
    receivedAt: deps.clock.now(),
    // Slack takes an answer in the HTTP response of a command or an interaction (an event's is ignored).
    acceptsResponsePayload: delivery.kind !== 'events_api',
    ...(delivery.retryAttempt !== undefined ? { retryAttempt: delivery.retryAttempt } : {}),
    ...(delivery.retryReason !== undefined ? { retryReason: delivery.retryReason } : {}),
  };
}

/** Lifeline's installation of this app for the team: `active`, `parked` (uninstalled, revoked), or `none`. */
export async function installationState(deps: HttpDeps, teamId: string | undefined): Promise<'active' | 'parked' | 'none'> {
  if (!teamId) return 'none';
  const record = await deps.installations.get({ appId: deps.config.appId, installId: teamId });
  if (!record) return 'none';
  return record.active ? 'active' : 'parked';
}

/** Slack's retry headers (Events API over HTTP), as the Socket Mode envelope fields. */
export function retryFields(headers: Record<string, string | undefined>): { retryAttempt?: number; retryReason?: string } {
  const num = headers['x-slack-retry-num'];
  const reason = headers['x-slack-retry-reason'];
  const attempt = num !== undefined && /^\d{1,4}$/.test(num) ? Number(num) : undefined;
  return { ...(attempt !== undefined ? { retryAttempt: attempt } : {}), ...(reason ? { retryReason: reason } : {}) };
}
