import { payloadKey } from '../../shared/app/payload-key';
import type { DedupeClaim, LinkIdentity, SinkEvent } from '../../shared/ports';
import type { InboundEvent, SlackConnection } from './connection/types';
import type { WorkerDeps } from './deps';
import { SinkBatcher } from './sink-batcher';

export interface RedeliveryWait {
  /**
   * How long a redelivery that finds the same payload in progress elsewhere waits for that
   * delivery's answer before leaving it unacked. Default 2,000: inside Slack's 3 s ack window.
   */
  waitMs: number;
  /** How often it looks again while the holder is another worker. Default 100. */
  pollMs: number;
}

const DEFAULT_WAIT: RedeliveryWait = { waitMs: 2_000, pollMs: 100 };

/** The claim, or `unavailable` when the dedupe store could not answer. */
type Verdict = DedupeClaim | { state: 'unavailable' };

/**
 * Every Slack event and envelope goes to the bot once, keyed by what survives redelivery
 * (`shared/app/payload-key.ts`): a claim is in progress while the sink handles it and completed
 * (with the bot's ack payload) once the sink accepted, only then acked, so a crash or a sink
 * failure loses nothing: Slack redelivers, and the redelivery finds the claim expired (its holder
 * died) or released and goes through. A redelivery of an answered payload is acked with the same
 * answer. One that finds the payload still in progress (the bot is handling it on another socket
 * right now) waits for that answer up to `waitMs` and acks with it; past that it stays unacked,
 * so Slack tries again later rather than the bot answering twice. Each envelope is acked as soon
 * as its own answer is in (never when its batch is).
 */
export class EventForwarder {
  private readonly batcher: SinkBatcher;
  private readonly wait: RedeliveryWait;
  /** Payloads this worker is delivering now, settled when the delivery is: local waiters skip polling. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private fallbackIds = 0;

  constructor(
    private readonly deps: WorkerDeps,
    batchSize: number,
    batchDelayMs: number,
    wait: Partial<RedeliveryWait> = {},
  ) {
    this.batcher = new SinkBatcher(deps.sink, batchSize, batchDelayMs);
    this.wait = { ...DEFAULT_WAIT, ...wait };
  }

  async forward(link: LinkIdentity, connection: SlackConnection, event: InboundEvent): Promise<void> {
    const { deps } = this;
    const id = this.keyOf(link, event);
    const verdict = await this.claim(id, event.envelopeId !== undefined);
    if (verdict.state === 'completed') {
      if (event.envelopeId) connection.ack(event.envelopeId, verdict.answer);
      return;
    }
    if (verdict.state === 'in-progress') {
      // RTM has no redelivery: the holder delivers it. Socket Mode: Slack's next try settles it.
      if (event.envelopeId) deps.log.info('payload still in progress elsewhere; left unacked for a redelivery', { linkId: link.id, eventId: id });
      return;
    }
    let settle = (): void => undefined;
    this.inFlight.set(id, new Promise<void>((resolve) => (settle = resolve)));
    try {
      await this.deliver(link, connection, event, id, verdict.state === 'claimed' ? verdict.holder : undefined);
    } finally {
      this.inFlight.delete(id);
      settle();
    }
  }

  flush(): void {
    this.batcher.flush();
  }

  private async deliver(link: LinkIdentity, connection: SlackConnection, event: InboundEvent, id: string, holder: string | undefined): Promise<void> {
    const { deps } = this;
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
      if (holder) await deps.dedupe.release(id, holder).catch(() => undefined);
      return;
    }
    let ackPayload = answer.ackPayload;
    if (ackPayload !== undefined && event.envelopeId && !event.acceptsResponsePayload) {
      // Slack would reject the ack's payload for this envelope (an Events API event): ack bare.
      deps.log.warn('the bot answered an envelope that takes no response payload; acked without it', { linkId: link.id, eventId: id, kind: event.kind });
      ackPayload = undefined;
    }
    // Completed before the ack: a crash in between leaves an answered record, and the redelivery
    // is acked with it instead of reaching the bot again.
    if (holder) await this.complete(link, id, holder, ackPayload);
    if (event.envelopeId) connection.ack(event.envelopeId, ackPayload);
  }

  /** Claims `id`; a Socket Mode redelivery that finds it in progress waits for the holder's answer. */
  private async claim(id: string, waits: boolean): Promise<Verdict> {
    const { deps } = this;
    const deadline = deps.clock.now() + this.wait.waitMs;
    for (;;) {
      let verdict: DedupeClaim;
      try {
        verdict = await deps.dedupe.claim(id, deps.clock.now());
      } catch (error) {
        // Without the dedupe store, deliver anyway: a duplicate is better than a loss.
        deps.log.warn('event dedupe unavailable; delivering without it', { eventId: id, error });
        return { state: 'unavailable' };
      }
      const left = deadline - deps.clock.now();
      if (verdict.state !== 'in-progress' || !waits || left <= 0) return verdict;
      const local = this.inFlight.get(id);
      const pause = local ? left : Math.max(1, Math.min(this.wait.pollMs, left, verdict.until - deps.clock.now()));
      await Promise.race([local, delay(pause)].filter(Boolean));
    }
  }

  private async complete(link: LinkIdentity, id: string, holder: string, answer: unknown): Promise<void> {
    const { deps } = this;
    try {
      const kept = await deps.dedupe.complete(id, holder, deps.clock.now(), answer);
      // The claim expired and another worker took it over: that worker delivers it too.
      if (!kept) deps.log.warn('delivered after the claim expired; the payload may reach the bot twice', { linkId: link.id, eventId: id });
    } catch (error) {
      deps.log.warn('could not record a delivered payload; a redelivery would reach the bot again', { linkId: link.id, eventId: id, error });
    }
  }

  private keyOf(link: LinkIdentity, event: InboundEvent): string {
    const key = payloadKey({ appId: link.appId, ...(link.teamId ? { teamId: link.teamId } : {}), kind: event.kind, payload: event.payload, ...(event.envelopeId ? { envelopeId: event.envelopeId } : {}) });
    if (key) return key;
    this.fallbackIds += 1;
    return `${link.id}:${this.deps.workerId}:${this.deps.clock.now()}:${this.fallbackIds}`;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
