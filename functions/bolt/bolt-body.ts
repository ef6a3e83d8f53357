import type { SinkEvent } from '../../shared/ports/sink';

/**
 * The body Bolt's `processEvent` expects for a payload Lifeline received. A Socket Mode
 * envelope's payload already is one (an `event_callback`, a command, an interaction). An RTM
 * event arrives bare, so it is wrapped as the Events API would have sent it: `event_callback`
 * with `team_id`, `api_app_id`, `event`, and Lifeline's dedupe key as `event_id` (RTM events
 * have none; the key is stable across redeliveries of the same message).
 */
export function boltBody(event: SinkEvent): Record<string, unknown> {
  const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as Record<string, unknown>;
  // Lifeline's own notices (`lifeline_installed`, ...) are wrapped like RTM events, whatever the
  // protocol, so that `app.event('lifeline_parked', ...)` hears them.
  if (event.protocol === 'socket' && !isLifecycleBody(event.kind)) return payload;
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
