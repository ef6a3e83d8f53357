import { createHash } from 'node:crypto';

/**
 * The dedupe key of one Slack payload: what stays the same when Slack delivers it again, and
 * never the envelope id (a redelivery may come under a new one; the simulator's
 * `socketMode.redeliverEveryKind` does exactly that).
 *
 * - Events API (`events_api`, HTTP events): `event_id`, which Slack documents as unique per event
 *   and keeps on its retries (with `retry_attempt`).
 * - Slash commands and interactions: `trigger_id`, minted once per user action and carried by the
 *   payload itself, so any redelivery of the same action carries it too.
 * - An interaction without a `trigger_id` (`block_suggestion`, `view_closed`, some message
 *   actions): a SHA-256 of the payload with its keys sorted, minus the fields a re-send could
 *   mint afresh (`response_url(s)`); a user who repeats the action makes a new `action_ts`, so two
 *   real actions never share a digest.
 * - RTM: no id at all; team, kind, channel and `ts` name a message (RTM has no redelivery, this
 *   only folds the copies a make-before-break overlap receives on two sockets).
 *
 * Keys are scoped by app: two apps in one table never share a payload.
 */
export function socketModePayloadKey(appId: string, envelopeType: string, payload: Record<string, unknown>): string {
  const eventId = str(payload.event_id);
  if (eventId) return `${appId}:${eventId}`;
  const kind = envelopeType === 'slash_commands' ? 'cmd' : envelopeType === 'interactive' ? 'int' : envelopeType;
  const triggerId = str(payload.trigger_id);
  if (triggerId) return `${appId}:${kind}:${triggerId}`;
  return `${appId}:${kind}:sha256:${payloadDigest(payload)}`;
}

/** An RTM frame's key, or undefined when the frame names no message (no `ts`/`event_ts`). */
export function rtmPayloadKey(appId: string, teamId: string | undefined, kind: string, payload: Record<string, unknown>): string | undefined {
  const ts = str(payload.ts) ?? str(payload.event_ts);
  if (!ts) return undefined;
  return `${appId}:${teamId ?? ''}:${kind}:${String(payload.channel ?? '')}:${ts}`;
}

/** Fields a re-sent payload may carry fresh without being a new action. */
const VOLATILE = new Set(['response_url', 'response_urls']);

export function payloadDigest(payload: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(payload, true)).digest('base64url');
}

/** JSON with object keys sorted at every depth, so key order never changes the digest. */
function canonical(value: unknown, top = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => v !== undefined && !(top && VOLATILE.has(key)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
