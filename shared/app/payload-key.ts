// The one dedupe key of a Slack payload, whichever way it reached Lifeline. A classic app gets the
// same message twice: bare over its RTM socket (no event id) and as an Events API
// `event_callback` over HTTP (with one). Both paths must claim the same key for the bot to see it
// once, so a message is keyed by what both copies carry (app, team, event type, channel, ts), and
// the event id is used only for what has no ts. The worker and the HTTP endpoint both call this.

type Payload = Record<string, unknown>;

export interface KeyedPayload {
  appId: string;
  teamId?: string;
  /** `events_api`, `slash_commands`, `interactive`, or the RTM event type. */
  kind: string;
  payload: Payload;
  /** Socket Mode: the envelope's id (commands and interactions have nothing else stable). */
  envelopeId?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A message-like event's key: the same for its RTM copy and its Events API copy. */
function messageKey(appId: string, teamId: string | undefined, type: string, event: Payload): string | undefined {
  const ts = str(event.ts) ?? str(event.event_ts);
  return ts ? `${appId}:${teamId ?? ''}:${type}:${String(event.channel ?? '')}:${ts}` : undefined;
}

/**
 * What the worker claims for a payload it received: `event_id` for a Socket Mode Events API
 * envelope (its redeliveries carry a new envelope id, the same event id), the envelope id for a
 * command or interaction, team/type/channel/ts for a bare RTM event. Undefined: nothing stable
 * to key on (the caller makes a one-off key).
 */
export function payloadKey(input: KeyedPayload): string | undefined {
  const { appId, payload } = input;
  const eventId = str(payload.event_id);
  if (eventId) return `${appId}:${eventId}`;
  if (input.envelopeId) return `${appId}:env:${input.envelopeId}`;
  return messageKey(appId, input.teamId, input.kind, payload);
}

/**
 * What the Events endpoint claims for an `event_callback` body: the key its inner event would
 * get over RTM (so the RTM copy of the same message is a duplicate), else the event id (an event
 * without ts: Slack's HTTP retries carry the same id).
 */
export function eventCallbackKey(appId: string, teamId: string | undefined, body: Payload): string | undefined {
  const event = body.event;
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
    const inner = event as Payload;
    const type = str(inner.type);
    const key = type ? messageKey(appId, teamId, type, inner) : undefined;
    if (key) return key;
  }
  const eventId = str(body.event_id);
  return eventId ? `${appId}:${eventId}` : undefined;
}
