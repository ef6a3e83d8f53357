import { payloadKey } from '../../shared/app/payload-key';
import type { LinkIdentity, SinkEvent } from '../../shared/ports';
import type { InboundEvent, SlackConnection } from './connection/types';
import type { WorkerDeps } from './deps';
import { SinkBatcher } from './sink-batcher';

/**
 * Every Slack event and envelope goes to the sink once: deduplicated by `event_id` (Events API
 * payloads; redeliveries carry a new envelope id but the same event id), by `envelope_id`
 * (commands, interactions), or by team/channel/ts (RTM). A Socket Mode envelope is acked only
 * after the sink accepted it, so a crash or a sink failure loses nothing: Slack redelivers. Each
 * envelope is acked as soon as its own answer is in (never when its batch is), carrying the
 * bot's ack payload when the envelope accepts one; the time a bot gets is bounded by the sink
 * (the embedded handler's time limit, under Slack's 3 s).
 */
export class EventForwarder {
  private readonly batcher: SinkBatcher;
  private fallbackIds = 0;

  constructor(
    private readonly deps: WorkerDeps,
    batchSize: number,
    batchDelayMs: number,
  ) {
    this.batcher = new SinkBatcher(deps.sink, batchSize, batchDelayMs);
  }

  async forward(link: LinkIdentity, connection: SlackConnection, event: InboundEvent): Promise<void> {
    const { deps } = this;
    const id = this.dedupeKey(link, event);
    let fresh = true;
    try {
      fresh = await deps.dedupe.claim(id, deps.clock.now());
    } catch (error) {
      // Without the dedupe store, deliver anyway: a duplicate is better than a loss.
      deps.log.warn('event dedupe unavailable; delivering without it', { linkId: link.id, error });
    }
    if (!fresh) {
      if (event.envelopeId) connection.ack(event.envelopeId);
      return;
    }
    const answer = await this.batcher.deliver({
      id,
      linkId: link.id,
      protocol: link.protocol,
      appId: link.appId,
      ...(teamOf(link, event) ? { teamId: teamOf(link, event) } : {}),
      kind: event.kind,
      payload: event.payload,
      receivedAt: deps.clock.now(),
      ...envelopeFields(event),
    });
    if (!answer.ok) {
      deps.metrics.put('SinkFailures', 1, { Protocol: link.protocol });
      deps.log.error('sink refused an event; not acked, Slack will redeliver', { linkId: link.id, eventId: id, reason: answer.reason });
      await deps.dedupe.release(id).catch(() => undefined);
      return;
    }
    if (!event.envelopeId) return;
    if (answer.ackPayload !== undefined && !event.acceptsResponsePayload) {
      // Slack would reject the ack's payload for this envelope (an Events API event): ack bare.
      deps.log.warn('the bot answered an envelope that takes no response payload; acked without it', { linkId: link.id, eventId: id, kind: event.kind });
      connection.ack(event.envelopeId);
      return;
    }
    connection.ack(event.envelopeId, answer.ackPayload);
  }

  flush(): void {
    this.batcher.flush();
  }

  private dedupeKey(link: LinkIdentity, event: InboundEvent): string {
    const key = payloadKey({ appId: link.appId, ...(link.teamId ? { teamId: link.teamId } : {}), kind: event.kind, payload: event.payload, ...(event.envelopeId ? { envelopeId: event.envelopeId } : {}) });
    if (key) return key;
    this.fallbackIds += 1;
    return `${link.id}:${this.deps.workerId}:${this.deps.clock.now()}:${this.fallbackIds}`;
  }
}

function envelopeFields(event: InboundEvent): Partial<SinkEvent> {
  const fields: Partial<SinkEvent> = {};
  if (event.envelopeId !== undefined) fields.envelopeId = event.envelopeId;
  if (event.acceptsResponsePayload !== undefined) fields.acceptsResponsePayload = event.acceptsResponsePayload;
  if (event.retryAttempt !== undefined) fields.retryAttempt = event.retryAttempt;
  if (event.retryReason !== undefined) fields.retryReason = event.retryReason;
  return fields;
}

function teamOf(link: LinkIdentity, event: InboundEvent): string | undefined {
  if (link.teamId) return link.teamId;
  const team = event.payload.team_id ?? (event.payload.team as { id?: unknown } | undefined)?.id;
  return typeof team === 'string' ? team : undefined;
}
