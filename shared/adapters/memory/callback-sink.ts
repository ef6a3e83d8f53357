import { SinkError, type Sink, type SinkEvent } from '../../ports';

export type SinkCallback = (events: SinkEvent[]) => Promise<void> | void;

/**
 * Sink that hands events to an in-process callback (embedded mode, tests) and resolves only
 * once the callback has: a callback that throws or rejects refused the whole batch, so every id
 * comes back in the `SinkError` and the worker leaves those envelopes unacked.
 */
export class CallbackSink implements Sink {
  constructor(private readonly callback: SinkCallback) {}

  async deliver(events: SinkEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.callback(events);
    } catch (error) {
      const ids = events.map((event) => event.id);
      throw new SinkError(`sink callback refused ${ids.length} event(s)`, ids, { cause: error });
    }
  }
}
