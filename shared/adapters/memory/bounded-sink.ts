import type { Sink, SinkAnswer, SinkEvent } from '../../ports';
import { settleWithin } from '../../time';

/**
 * Bounds the time each event of another sink (the bot's process, over IPC) may take to be
 * answered, and counts what it accepted. An event not answered in time is refused: its envelope
 * stays unacked and Slack redelivers what it redelivers; the late answer is dropped.
 */
export class BoundedSink implements Sink {
  private accepted = 0;

  constructor(private readonly inner: Sink, private readonly timeoutMs: number) {}

  get delivered(): number {
    return this.accepted;
  }

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    return this.inner.deliver(events).map(async (pending): Promise<SinkAnswer> => {
      const settled = await settleWithin(pending, this.timeoutMs).catch((error: unknown) => ({ done: true as const, value: { ok: false as const, reason: String(error) } }));
      if (!settled.done) return { ok: false, reason: `the bot did not answer within ${this.timeoutMs} ms` };
      if (settled.value.ok) this.accepted += 1;
      return settled.value;
    });
  }
}
