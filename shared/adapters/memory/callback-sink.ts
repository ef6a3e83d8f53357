import { SinkError, type Sink, type SinkEvent } from '../../ports';
import { settleWithin } from '../../time';

export type SinkCallback = (events: SinkEvent[]) => Promise<void> | void;

export interface CallbackSinkOptions {
  /**
   * A callback that has not settled within this long refused the batch (default: no limit).
   * Keep it under Slack's 3 s ack window, so a hung bot costs a redelivery, not a stuck socket.
   */
  timeoutMs?: number;
}

/**
 * Sink that hands events to an in-process callback (embedded mode, tests) and resolves only
 * once the callback has: a callback that throws, rejects or overruns its time refused the whole
 * batch, so every id comes back in the `SinkError` and the worker leaves those envelopes unacked.
 */
export class CallbackSink implements Sink {
  private accepted = 0;

  constructor(private readonly callback: SinkCallback, private readonly options: CallbackSinkOptions = {}) {}

  /** Events the callback has accepted so far. */
  get delivered(): number {
    return this.accepted;
  }

  async deliver(events: SinkEvent[]): Promise<void> {
    if (events.length === 0) return;
    const ids = events.map((event) => event.id);
    try {
      await this.withinTime(Promise.resolve().then(() => this.callback(events)));
    } catch (error) {
      throw new SinkError(`sink callback refused ${ids.length} event(s)`, ids, { cause: error });
    }
    this.accepted += events.length;
  }

  private async withinTime(work: Promise<unknown>): Promise<void> {
    const { timeoutMs } = this.options;
    if (timeoutMs === undefined) {
      await work;
      return;
    }
    if (!(await settleWithin(work, timeoutMs)).done) throw new Error(`sink callback did not settle within ${timeoutMs} ms`);
  }
}
