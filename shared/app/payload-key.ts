import { createHash } from 'node:crypto';

// The one dedupe key of a Slack payload, whichever way it reached Lifeline: what stays the same
// when Slack (or the same message by another path) delivers it again, never an envelope id (a
// redelivery may come under a new one: the simulator's `socketMode.redeliverEveryKind` does).
//
// - Events API: `event_id`, which Slack documents as unique per event and keeps on its retries.
// - Slash commands and interactions: `trigger_id`, minted once per user action and carried by the
//   payload itself, so any redelivery of that action carries it too.
// - An interaction without a `trigger_id` (`block_suggestion`, `view_closed`, some message
//   actions): a SHA-256 of the payload with its keys sorted, minus what a re-send could mint
//   afresh (`response_url(s)`); a user who repeats the action makes a new `action_ts`, so two
//   real actions never share a digest.
// - Messages: a classic app gets the same message twice, bare over its RTM socket (no event id)
//   and as an Events API `event_callback` over HTTP (with one). Both paths must claim the same key
//   for the bot to see it once, so a message is keyed by what both copies carry (app, team, event
//   type, channel, ts), and the event id is used only for what has no ts.
// The worker and the HTTP endpoint both call this. Keys are scoped by app.

type Payload = Record<string, unknown>;

export interface KeyedPayload {
  appId: string;
  teamId?: string;
  /** `events_api`, `slash_commands`, `interactive`, or the RTM event type. */
  kind: string;
  payload: Payload;
  /** Socket Mode: the envelope's id. Only says the payload came in an envelope; never part of the key. */
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
 * envelope, `trigger_id` (else a digest) for a command or interaction, team/type/channel/ts for a
 * bare RTM event. Undefined: nothing stable to key on (the caller makes a one-off key).
 */
export function payloadKey(input: KeyedPayload): string | undefined {
  const { appId, payload } = input;
  const eventId = str(payload.event_id);
  if (eventId) return `${appId}:${eventId}`;
  if (input.envelopeId) return interactionKey(appId, input.kind, payload);
  return messageKey(appId, input.teamId, input.kind, payload);
}

/** A slash command's or an interaction's key: its `trigger_id`, else a digest of the payload. */
export function interactionKey(appId: string, kind: string, payload: Payload): string {
  const prefix = kind === 'slash_commands' ? 'cmd' : kind === 'interactive' ? 'int' : kind;
  const triggerId = str(payload.trigger_id);
  return triggerId ? `${appId}:${prefix}:${triggerId}` : `${appId}:${prefix}:sha256:${payloadDigest(payload)}`;
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

/** Fields a re-sent payload may carry fresh without being a new action. */
const VOLATILE = new Set(['response_url', 'response_urls']);

export function payloadDigest(payload: Payload): string {
  return createHash('sha256').update(canonical(payload, true)).digest('base64url');
}

/** JSON with object keys sorted at every depth, so key order never changes the digest. */
function canonical(value: unknown, top = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Payload)
      .filter(([key, v]) => v !== undefined && !(top && VOLATILE.has(key)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
