import { refusal, type Sink, type SinkAnswer, type SinkEvent } from '../../ports';
import { settleWithin } from '../../time';

/** A batch handler: its outcome is every event's; it gives no ack payloads. */
export type SinkCallback = (events: SinkEvent[]) => Promise<void> | void;

/** What a per-event handler may answer: the payload its envelope's ack carries. */
export interface EventReply {
  ackPayload?: unknown;
}

/** A per-event handler: each event settles on its own and may answer with an ack payload. */
export type EventCallback = (event: SinkEvent) => Promise<EventReply | void> | EventReply | void;

/** A batch callback, or `{ each }`: a per-event one. */
export type SinkHandler = SinkCallback | { each: EventCallback };

export interface CallbackSinkOptions {
  /**
   * A callback that has not settled within this long refused its events (default: no limit).
   * Keep it under Slack's 3 s ack window, so a hung bot costs a redelivery, not a stuck socket.
   * Per-event callbacks are timed each on their own.
   */
  timeoutMs?: number;
}

/**
 * Sink that hands events to an in-process callback (embedded mode, tests) and answers only once
 * the callback has: a callback that throws, rejects or overruns its time refused its events, so
 * the worker leaves those envelopes unacked. `new CallbackSink(batch)` calls one function per
 * batch (one outcome for all); `CallbackSink.perEvent(each)` calls one per event, concurrently,
 * and each event's answer (with its ack payload) comes as soon as its own call settles.
 */
export class CallbackSink implements Sink {
  private accepted = 0;

  constructor(private readonly callback: SinkHandler, private readonly options: CallbackSinkOptions = {}) {}

  static perEvent(each: EventCallback, options: CallbackSinkOptions = {}): CallbackSink {
    return new CallbackSink({ each }, options);
  }

  /** Events the callback has accepted so far. */
  get delivered(): number {
    return this.accepted;
  }

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    if (events.length === 0) return [];
    const { callback } = this;
    if (typeof callback !== 'function') {
      return events.map(async (event): Promise<SinkAnswer> => {
        const answer = await this.answer(() => callback.each(event), 1);
        if (!answer.ok) return answer;
        const reply = answer.value;
        return reply && typeof reply === 'object' && reply.ackPayload !== undefined ? { ok: true, ackPayload: reply.ackPayload } : { ok: true };
      });
    }
    const whole = this.answer(() => callback(events), events.length).then((a): SinkAnswer => (a.ok ? { ok: true } : a));
    return events.map(() => whole);
  }

  private async answer<T>(call: () => Promise<T> | T, count: number): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
    try {
      const value = await this.withinTime(Promise.resolve().then(call));
      this.accepted += count;
      return { ok: true, value };
    } catch (error) {
      return refusal(error) as { ok: false; reason: string };
    }
  }

  private async withinTime<T>(work: Promise<T>): Promise<T> {
    const { timeoutMs } = this.options;
    if (timeoutMs === undefined) return work;
    const settled = await settleWithin(work, timeoutMs);
    if (!settled.done) throw new Error(`sink callback did not settle within ${timeoutMs} ms`);
    return settled.value;
  }
}
