import { payloadKey } from '../../shared/app/payload-key';
import type { DedupeClaim, LinkIdentity, SinkEvent } from '../../shared/ports';
import type { InboundEvent, SlackConnection } from './connection/types';
import type { WorkerDeps } from './deps';
import { RecentDeliveries, type RecentDeliveryLimits } from './recent-deliveries';
import { SinkBatcher } from './sink-batcher';

export interface RedeliveryWait {
  /**
   * How long a redelivery that finds the same payload in progress (here or elsewhere) waits for
   * that delivery's answer before leaving it unacked. Default 2,000: inside Slack's 3 s ack window.
   */
  waitMs: number;
  /** How often it looks again while the holder is another worker. Default 100. */
  pollMs: number;
}

export interface ForwarderOptions extends Partial<RedeliveryWait> {
  /**
   * Whether this worker is fencing itself (a peer may hold its links now). Read after a claim
   * the store did not answer: a fencing worker delivers nothing it cannot claim.
   */
  fencing?: () => boolean;
  /** Bounds of the worker's memory of what it delivered (`recent-deliveries.ts`). */
  recent?: Partial<RecentDeliveryLimits>;
}

const DEFAULT_WAIT: RedeliveryWait = { waitMs: 2_000, pollMs: 100 };
/** Tries of a claim by a fencing worker before it gives an RTM event up to the link's holder. */
const FENCING_CLAIM_TRIES = 3;
/** Looks at the store in all (claims the store did not answer, and waits on one in progress): a bound, not a schedule. */
const FENCING_LOOKS = 20;

/** The claim, or `unavailable` when the dedupe store could not answer. */
type Verdict = DedupeClaim | { state: 'unavailable'; error: unknown };

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
 *
 * This worker's own memory comes first: a payload it is delivering, or delivered within the
 * last minutes (`RecentDeliveries`), is told apart without the store, so a redelivery to this
 * worker is answered once even while the store cannot be asked. When the store cannot be asked
 * and memory knows nothing, the payload is delivered without a claim (a duplicate on another
 * worker is better than a loss), unless this worker is fencing: then a peer may hold the link
 * and nothing unclaimed is delivered (an envelope stays unacked for Slack to redeliver to the
 * holder; an RTM claim is tried again, since it mostly failed for the pause that fenced us).
 * ARCHITECTURE.md, "Delivered once across crashes".
 */
export class EventForwarder {
  private readonly batcher: SinkBatcher;
  private readonly wait: RedeliveryWait;
  private readonly fencing: () => boolean;
  /** Payloads this worker is claiming or delivering now, settled when that is over: local copies wait on it. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly recent: RecentDeliveries;
  private fallbackIds = 0;

  constructor(
    private readonly deps: WorkerDeps,
    batchSize: number,
    batchDelayMs: number,
    options: ForwarderOptions = {},
  ) {
    this.batcher = new SinkBatcher(deps.sink, batchSize, batchDelayMs);
    this.wait = { waitMs: options.waitMs ?? DEFAULT_WAIT.waitMs, pollMs: options.pollMs ?? DEFAULT_WAIT.pollMs };
    this.fencing = options.fencing ?? (() => false);
    this.recent = new RecentDeliveries(options.recent);
  }

  async forward(link: LinkIdentity, connection: SlackConnection, event: InboundEvent): Promise<void> {
    const { deps } = this;
    const id = this.keyOf(link, event);
    const waits = event.envelopeId !== undefined;
    const deadline = deps.clock.now() + this.wait.waitMs;
    const known = await this.recall(id, waits, deadline);
    if (known === 'in-flight') {
      // Still on its way here: RTM, that delivery is the one; Socket Mode, Slack's next try settles it.
      if (event.envelopeId) deps.log.info('payload still in progress on this worker; left unacked for a redelivery', { linkId: link.id, eventId: id });
      return;
    }
    if (known) {
      if (event.envelopeId) connection.ack(event.envelopeId, known.answer);
      return;
    }
    let settle = (): void => undefined;
    this.inFlight.set(id, new Promise<void>((resolve) => (settle = resolve)));
    try {
      const verdict = await this.decide(link, id, event, deadline);
      if (!verdict) return;
      if (verdict.state === 'completed') {
        this.recent.remember(id, verdict.answer, deps.clock.now());
        if (event.envelopeId) connection.ack(event.envelopeId, verdict.answer);
        return;
      }
      if (verdict.state === 'in-progress') {
        // RTM has no redelivery: the holder delivers it. Socket Mode: Slack's next try settles it.
        if (event.envelopeId) deps.log.info('payload still in progress elsewhere; left unacked for a redelivery', { linkId: link.id, eventId: id });
        return;
      }
      await this.deliver(link, connection, event, id, verdict.state === 'claimed' ? verdict.holder : undefined);
    } finally {
      this.inFlight.delete(id);
      settle();
    }
  }

  flush(): void {
    this.batcher.flush();
  }

  /**
   * What this worker knows of `id` without the store: delivered (with its answer), or on its way
   * here now (`in-flight`, after waiting for it until `deadline` when `waits`).
   */
  private async recall(id: string, waits: boolean, deadline: number): Promise<{ answer?: unknown } | 'in-flight' | undefined> {
    for (;;) {
      const known = this.recent.find(id, this.deps.clock.now());
      if (known) return known;
      const local = this.inFlight.get(id);
      if (!local) return undefined;
      const left = deadline - this.deps.clock.now();
      if (!waits || left <= 0) return 'in-flight';
      await Promise.race([local, delay(left)]);
    }
  }

  /** The store's verdict; undefined when a fencing worker must not deliver what it could not claim. */
  private async decide(link: LinkIdentity, id: string, event: InboundEvent, deadline: number): Promise<Verdict | undefined> {
    const { deps } = this;
    const verdict = await this.claim(id, event.envelopeId !== undefined, deadline);
    if (verdict.state !== 'unavailable') return verdict;
    // A turn of the loop first: a process resuming from a pause runs every overdue timer (the
    // claim's timeout and the membership's deadline check alike) before this, so `fencing` is current.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.fencing()) {
      // Without the dedupe store, deliver anyway: a duplicate is better than a loss. Redeliveries
      // to this worker are answered from its memory.
      deps.log.warn('event dedupe unavailable; delivering without it', { linkId: link.id, eventId: id, error: verdict.error });
      return verdict;
    }
    if (event.envelopeId) {
      deps.log.warn('fencing and the dedupe store did not answer: envelope left unacked for Slack to redeliver to the link\'s holder', { linkId: link.id, eventId: id, error: verdict.error });
      return undefined;
    }
    return this.claimWhileFencing(link, id);
  }

  /**
   * An RTM event read by a fencing worker whose claim the store did not answer: mostly a claim
   * issued before this process stood still, timed out by its own timer on resume. RTM has no
   * redelivery and the event may have reached only this socket, so the claim is tried again; one
   * found in progress (maybe our own timed-out claim, which landed) is waited out to its expiry.
   * Never delivered unclaimed: a peer may hold the link and have delivered it already.
   */
  private async claimWhileFencing(link: LinkIdentity, id: string): Promise<Verdict | undefined> {
    const { deps } = this;
    for (let tries = 1, looks = 1; looks <= FENCING_LOOKS; looks++) {
      let verdict: DedupeClaim;
      try {
        verdict = await deps.dedupe.claim(id, deps.clock.now());
      } catch (error) {
        if (tries++ >= FENCING_CLAIM_TRIES) {
          deps.log.error('fencing and the dedupe store did not answer: RTM event not delivered (the link\'s holder delivers what its socket received)', { linkId: link.id, eventId: id, error });
          return undefined;
        }
        await delay(this.wait.pollMs * tries);
        continue;
      }
      if (verdict.state !== 'in-progress') return verdict;
      const left = verdict.until - deps.clock.now();
      await delay(Math.max(1, Math.min(left + 1, this.wait.pollMs * 5)));
    }
    deps.log.error('fencing and the payload stayed in progress elsewhere: RTM event left to its holder', { linkId: link.id, eventId: id });
    return undefined;
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
    // Remembered here and completed in the store before the ack: a crash in between leaves an
    // answered record, and a redelivery is acked with it instead of reaching the bot again.
    this.recent.remember(id, ackPayload, deps.clock.now());
    if (holder) await this.complete(link, id, holder, ackPayload);
    if (event.envelopeId) connection.ack(event.envelopeId, ackPayload);
  }

  /** Claims `id`; a Socket Mode redelivery that finds it in progress elsewhere waits for the holder's answer until `deadline`. */
  private async claim(id: string, waits: boolean, deadline: number): Promise<Verdict> {
    const { deps } = this;
    for (;;) {
      let verdict: DedupeClaim;
      try {
        verdict = await deps.dedupe.claim(id, deps.clock.now());
      } catch (error) {
        return { state: 'unavailable', error };
      }
      const left = deadline - deps.clock.now();
      if (verdict.state !== 'in-progress' || !waits || left <= 0) return verdict;
      await delay(Math.max(1, Math.min(this.wait.pollMs, left, verdict.until - deps.clock.now())));
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
