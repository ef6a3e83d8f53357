import type { SimCore } from '../sim-core';
import type { EnvelopeRecord } from '../ground-truth';
import { newEnvelopeId } from '../ids';
import type { Session } from '../sockets/session';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

interface Pending {
  record: EnvelopeRecord;
  payload: unknown;
  acceptsResponsePayload: boolean;
}

/**
 * Socket Mode delivery (SLACK-PROTOCOL §2.5–2.6): each envelope goes to exactly one open socket
 * of the app. An `events_api` envelope that is not acked in time, or that found no socket, is
 * retried on Slack's schedule with `retry_attempt`/`retry_reason`; other kinds are not retried.
 * With `socketMode.redeliverEveryKind` every kind is retried, each attempt under a new envelope id.
 */
export class EnvelopeDelivery {
  private readonly pending = new Map<string, Pending>();
  private readonly cursor = new Map<string, number>();

  constructor(private readonly ctx: SimCore) {}

  send(appId: string, type: EnvelopeType, payload: unknown,
    meta: { teamId?: string; eventId?: string; acceptsResponsePayload?: boolean } = {}): string {
    const record: EnvelopeRecord = {
      envelopeId: newEnvelopeId(), appId, teamId: meta.teamId, type, eventId: meta.eventId,
      createdAt: this.ctx.clock.now(), deliveries: [], acks: 0, dropped: false,
    };
    this.ctx.truth.envelopes.set(record.envelopeId, record);
    const p: Pending = { record, payload, acceptsResponsePayload: meta.acceptsResponsePayload ?? type !== 'events_api' };
    this.pending.set(record.envelopeId, p);
    this.attempt(p);
    return record.envelopeId;
  }

  /** The first ack settles the payload; later ones (a duplicate, an earlier attempt's late ack) are only counted. */
  ack(appId: string, envelopeId: string, payload: unknown, socketId: number): void {
    const record = this.ctx.truth.envelope(envelopeId);
    if (!record || record.appId !== appId) return;
    record.acks += 1;
    if (record.ackedAt !== undefined) return;
    record.ackedAt = this.ctx.clock.now();
    record.ackSocketId = socketId;
    record.ackPayload = payload;
    this.pending.delete(record.envelopeId);
  }

  private attempt(p: Pending): void {
    const { record } = p;
    if (!this.pending.has(record.envelopeId)) return;
    const attempt = record.deliveries.length;
    const session = this.pick(record.appId);
    const envelopeId = attempt > 0 && this.ctx.options.socketMode.redeliverEveryKind ? newEnvelopeId() : record.envelopeId;
    if (envelopeId !== record.envelopeId) this.ctx.truth.envelopeAliases.set(envelopeId, record.envelopeId);
    record.deliveries.push({
      at: this.ctx.clock.now(), attempt, envelopeId, socketId: session?.id ?? null, lost: session?.blackHoled || undefined,
    });
    session?.send({
      envelope_id: envelopeId,
      payload: p.payload,
      type: record.type,
      accepts_response_payload: p.acceptsResponsePayload,
      ...(record.type === 'events_api' ? { retry_attempt: attempt, retry_reason: attempt === 0 ? '' : 'timeout' } : {}),
    });
    // A missing socket is treated like a missed ack: the next try comes on the retry schedule.
    this.ctx.scheduler.after(this.ctx.options.socketMode.ackTimeoutMs, () => this.afterTimeout(p, attempt));
  }

  private afterTimeout(p: Pending, attempt: number): void {
    const { record } = p;
    if (record.ackedAt !== undefined || !this.pending.has(record.envelopeId)) return;
    const delays = this.ctx.options.socketMode.retryDelaysMs;
    const retried = record.type === 'events_api' || this.ctx.options.socketMode.redeliverEveryKind;
    if (!retried || attempt >= delays.length) {
      record.dropped = true;
      this.pending.delete(record.envelopeId);
      return;
    }
    this.ctx.scheduler.after(delays[attempt]!, () => this.attempt(p));
  }

  /** Slack picks "arbitrarily" among the app's sockets; which rule is configurable. */
  private pick(appId: string): Session | undefined {
    const ready = this.ctx.sockets.of(appId).filter((s) => s.helloAt > 0 && !s.ending && s.open);
    if (ready.length === 0) return undefined;
    switch (this.ctx.options.socketMode.pick) {
      case 'random':
        return ready[Math.floor(Math.random() * ready.length)];
      case 'newest':
        return ready.reduce((a, b) => (a.helloAt >= b.helloAt ? a : b));
      case 'oldest':
        return ready.reduce((a, b) => (a.helloAt <= b.helloAt ? a : b));
      default: {
        const n = (this.cursor.get(appId) ?? 0) + 1;
        this.cursor.set(appId, n);
        return ready[n % ready.length];
      }
    }
  }
}
