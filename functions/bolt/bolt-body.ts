import type { SinkEvent } from '../../shared/ports/sink';

/**
 * Kinds whose payload already is the body Slack sent: Socket Mode envelopes, and what a classic
 * app's Request URLs receive over HTTP (an `event_callback`, a command's form fields, an
 * interaction's parsed `payload`), exactly as Bolt's own HTTP receiver passes them on.
 */
const SLACK_BODY_KINDS = new Set(['events_api', 'slash_commands', 'interactive']);

/**
 * The body Bolt's `processEvent` expects for a payload Lifeline received. A Socket Mode
 * envelope's payload already is one (an `event_callback`, a command, an interaction), and so is
 * an HTTP delivery's. An RTM event arrives bare, so it is wrapped as the Events API would have
 * sent it: `event_callback` with `team_id`, `api_app_id`, `event`, and Lifeline's dedupe key as
 * `event_id` (RTM events have none; the key is stable across redeliveries of the same message).
 */
export function boltBody(event: SinkEvent): Record<string, unknown> {
  const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as Record<string, unknown>;
  // Lifeline's own notices (`lifeline_installed`, ...) are wrapped like RTM events, whatever the
  // protocol, so that `app.event('lifeline_parked', ...)` hears them.
  if (isLifecycleBody(event.kind)) return wrapped(event, payload);
  if (event.protocol === 'socket' || SLACK_BODY_KINDS.has(event.kind)) return payload;
  return wrapped(event, payload);
}

function wrapped(event: SinkEvent, payload: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'event_callback',
    ...(event.teamId ? { team_id: event.teamId } : {}),
    api_app_id: event.appId,
    event: payload,
    event_id: event.id,
    event_time: Math.floor(event.receivedAt / 1000),
  };
}

/** Lifeline's lifecycle notices: their kind is their event type (`shared/app/lifecycle-notice.ts`). */
export const isLifecycleBody = (kind: unknown): boolean =>
  kind === 'lifeline_installed' || kind === 'lifeline_parked' || kind === 'lifeline_reactivated';
