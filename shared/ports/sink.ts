import type { LinkProtocol } from '../domain';

/** One Slack event or Socket Mode envelope, on its way to the bot. */
export interface SinkEvent {
  /** Dedupe key (`shared/app/payload-key.ts`): `event_id`, a command's or interaction's `trigger_id` (else a digest), a message's team/type/channel/ts. */
  id: string;
  linkId: string;
  protocol: LinkProtocol;
  appId: string;
  teamId?: string;
  /** `events_api`, `slash_commands`, `interactive`, or the RTM event type. */
  kind: string;
  payload: unknown;
  receivedAt: number;
  /** Socket Mode: the envelope's id (the ack names it). */
  envelopeId?: string;
  /** Socket Mode: whether Slack takes a payload in this envelope's ack (commands, interactions, options). */
  acceptsResponsePayload?: boolean;
  /** Socket Mode redeliveries: Slack's `retry_attempt` and `retry_reason`. */
  retryAttempt?: number;
  retryReason?: string;
}

/**
 * The bot's answer about one event. `ackPayload` is what the ack carries (a slash command's
 * `{ text }`, a submission's `{ response_action: 'errors', ... }`); the worker sends it only
 * when the envelope accepts a response payload. A refusal leaves the envelope unacked, so
 * Slack redelivers what it redelivers. JSON-safe: answers cross the IPC channel.
 */
export type SinkAnswer = { ok: true; ackPayload?: unknown } | { ok: false; reason: string };

/**
 * Where events go. EventBridge `PutEvents` on AWS (batched, no ack payload); the bot's handler
 * or Bolt app embedded. `deliver` takes a batch (batches are cheaper to carry) and returns one
 * answer per event, in order, each settling on its own: the worker acks each envelope as soon
 * as its own answer is in, never waiting on a slower neighbour. The answers never reject.
 */
export interface Sink {
  deliver(events: SinkEvent[]): Promise<SinkAnswer>[];
}

export class SinkError extends Error {
  readonly code = 'SINK_FAILED';

  constructor(message: string, readonly failedIds: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Waits for every answer of a batch; any refusal becomes one `SinkError` naming the refused events. */
export async function deliverAll(sink: Sink, events: SinkEvent[]): Promise<SinkAnswer[]> {
  const answers = await Promise.all(sink.deliver(events));
  const failed = events.filter((_, index) => !answers[index]?.ok);
  if (failed.length > 0) {
    const reasons = [...new Set(answers.flatMap((a) => (a.ok ? [] : [a.reason])))];
    throw new SinkError(`sink refused ${failed.length} of ${events.length} event(s): ${reasons.join('; ')}`, failed.map((e) => e.id));
  }
  return answers;
}

/** A refusal, from anything thrown. */
export const refusal = (error: unknown): SinkAnswer => ({ ok: false, reason: error instanceof Error ? error.message : String(error) });
