import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sink, SinkAnswer, SinkEvent } from '../../shared/ports';
import { SinkBatcher } from '../../functions/worker/sink-batcher';

const event = (id: string): SinkEvent => ({ id, linkId: 'L', protocol: 'socket', appId: 'A1', kind: 'events_api', payload: {}, receivedAt: 0 });

/** A sink that records each delivery and answers only when the test says so. */
class HeldSink implements Sink {
  readonly batches: string[][] = [];
  private readonly answers = new Map<string, (answer: SinkAnswer) => void>();

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    this.batches.push(events.map((e) => e.id));
    return events.map((e) => new Promise<SinkAnswer>((resolve) => this.answers.set(e.id, resolve)));
  }

  answer(id: string, answer: SinkAnswer = { ok: true }): void {
    const resolve = this.answers.get(id);
    if (!resolve) throw new Error(`${id} was not delivered`);
    resolve(answer);
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SinkBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('delivers a lone event at once when nothing is in flight (no window)', async () => {
    vi.useFakeTimers();
    const sink = new HeldSink();
    const batcher = new SinkBatcher(sink, 10, 20);
    const answer = batcher.deliver(event('e1'));
    // No timer has run: the delivery left synchronously.
    expect(sink.batches).toEqual([['e1']]);
    sink.answer('e1', { ok: true, ackPayload: { text: 'pong' } });
    await expect(answer).resolves.toEqual({ ok: true, ackPayload: { text: 'pong' } });
  });

  it('gathers what arrives while a delivery is in flight and sends it together once that one answered', async () => {
    vi.useFakeTimers();
    const sink = new HeldSink();
    const batcher = new SinkBatcher(sink, 10, 1_000);
    void batcher.deliver(event('e1'));
    const second = batcher.deliver(event('e2'));
    void batcher.deliver(event('e3'));
    expect(sink.batches).toEqual([['e1']]);
    sink.answer('e1');
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.batches).toEqual([['e1'], ['e2', 'e3']]);
    sink.answer('e2');
    await expect(second).resolves.toEqual({ ok: true });
    // Idle again: the next one goes at once.
    sink.answer('e3');
    await vi.advanceTimersByTimeAsync(0);
    void batcher.deliver(event('e4'));
    expect(sink.batches.at(-1)).toEqual(['e4']);
  });

  it('a slow delivery in flight holds its followers no longer than the window', async () => {
    vi.useFakeTimers();
    const sink = new HeldSink();
    const batcher = new SinkBatcher(sink, 10, 20);
    void batcher.deliver(event('slow'));
    void batcher.deliver(event('e2'));
    await vi.advanceTimersByTimeAsync(19);
    expect(sink.batches).toEqual([['slow']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.batches).toEqual([['slow'], ['e2']]);
  });

  it('sends a full batch without waiting', () => {
    const sink = new HeldSink();
    const batcher = new SinkBatcher(sink, 2, 60_000);
    for (const id of ['e1', 'e2', 'e3']) void batcher.deliver(event(id));
    expect(sink.batches).toEqual([['e1'], ['e2', 'e3']]);
  });

  it('turns a sink that throws or rejects into refusals, and is idle again after', async () => {
    const throwing: Sink = { deliver: () => { throw new Error('sink down'); } };
    await expect(new SinkBatcher(throwing, 10, 20).deliver(event('e1'))).resolves.toEqual({ ok: false, reason: 'sink down' });
    const sink = new HeldSink();
    const rejected: Sink = { deliver: (events) => { sink.deliver(events); return events.map(() => Promise.reject(new Error('no'))); } };
    const rejecting = new SinkBatcher(rejected, 10, 60_000);
    await expect(rejecting.deliver(event('r1'))).resolves.toEqual({ ok: false, reason: 'no' });
    await tick();
    // Its delivery counted as answered: the next event goes at once, not after the minute-long window.
    void rejecting.deliver(event('r2'));
    expect(sink.batches).toEqual([['r1'], ['r2']]);
  });
});
