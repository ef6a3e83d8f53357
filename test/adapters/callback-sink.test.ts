import { describe, expect, it } from 'vitest';
import { CallbackSink } from '../../shared/adapters/memory';
import { deliverAll, SinkError, type SinkEvent } from '../../shared/ports';

const event = (id: string): SinkEvent => ({
  id,
  linkId: 'sm:A1:0',
  protocol: 'socket',
  appId: 'A1',
  teamId: 'T1',
  kind: 'events_api',
  payload: { event: { type: 'message', text: id } },
  receivedAt: 1_700_000_000_000,
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CallbackSink', () => {
  it('answers only after the callback has finished with the events', async () => {
    const seen: string[][] = [];
    let finish: () => void = () => undefined;
    let entered!: () => void;
    const inCallback = new Promise<void>((resolve) => (entered = resolve));
    const sink = new CallbackSink(async (events) => {
      const done = new Promise<void>((resolve) => (finish = resolve));
      entered();
      await done;
      seen.push(events.map((e) => e.id));
    });
    let delivered = false;
    const delivery = deliverAll(sink, [event('E1'), event('E2')]).then(() => (delivered = true));
    await inCallback;
    // One turn of the event loop: every promise reaction a sink not waiting for its callback would
    // have resolved by has run.
    await turn();
    expect(delivered).toBe(false);
    finish();
    await delivery;
    expect(seen).toEqual([['E1', 'E2']]);
  });

  it('answers every event of a rejecting batch callback as refused, with the cause', async () => {
    const sink = new CallbackSink(async () => {
      throw new Error('bot handler crashed');
    });
    const answers = await Promise.all(sink.deliver([event('E1'), event('E2')]));
    expect(answers).toEqual([{ ok: false, reason: 'bot handler crashed' }, { ok: false, reason: 'bot handler crashed' }]);
    const error = await deliverAll(sink, [event('E1'), event('E2')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ code: 'SINK_FAILED', failedIds: ['E1', 'E2'] });
  });

  it('turns a synchronously throwing callback into a refusal too', async () => {
    const sink = new CallbackSink(() => {
      throw new TypeError('boom');
    });
    await expect(deliverAll(sink, [event('E1')])).rejects.toMatchObject({ name: 'SinkError', failedIds: ['E1'] });
  });

  it('refuses a batch whose callback overruns its time, and counts only accepted events', async () => {
    let slow = true;
    const sink = new CallbackSink(async () => {
      if (slow) await new Promise(() => undefined); // hangs for good
    }, { timeoutMs: 30 });
    const [answer] = await Promise.all(sink.deliver([event('E1')]));
    expect(answer).toEqual({ ok: false, reason: 'sink callback did not settle within 30 ms' });
    expect(sink.delivered).toBe(0);
    slow = false;
    await deliverAll(sink, [event('E2'), event('E3')]);
    expect(sink.delivered).toBe(2);
  });

  it('does not bother the callback with an empty batch', async () => {
    let calls = 0;
    const sink = new CallbackSink(() => void calls++);
    expect(sink.deliver([])).toEqual([]);
    expect(calls).toBe(0);
  });

  describe('per event', () => {
    it("answers each event as soon as its own call settles, with its ack payload, never waiting on a slow neighbour's", async () => {
      let releaseSlow!: () => void;
      const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
      const sink = CallbackSink.perEvent(async (e) => {
        if (e.id === 'slow') await slowGate;
        return e.id === 'cmd' ? { ackPayload: { text: 'pong' } } : undefined;
      });
      const order: string[] = [];
      const answers = sink.deliver([event('slow'), event('cmd'), event('plain')]).map((p, i) => p.then((a) => (order.push(['slow', 'cmd', 'plain'][i]!), a)));
      await Promise.all(answers.slice(1));
      await turn();
      expect(order).toEqual(['cmd', 'plain']);
      releaseSlow();
      expect(await Promise.all(answers)).toEqual([{ ok: true }, { ok: true, ackPayload: { text: 'pong' } }, { ok: true }]);
      expect(order).toEqual(['cmd', 'plain', 'slow']);
      expect(sink.delivered).toBe(3);
    });

    it('times each event on its own: the hung one is refused, the others answered', async () => {
      const sink = CallbackSink.perEvent(async (e) => {
        if (e.id === 'hung') await new Promise(() => undefined);
        if (e.id === 'bad') throw new Error('listener threw');
        return { ackPayload: e.id };
      }, { timeoutMs: 40 });
      const answers = await Promise.all(sink.deliver([event('hung'), event('bad'), event('fine')]));
      expect(answers).toEqual([
        { ok: false, reason: 'sink callback did not settle within 40 ms' },
        { ok: false, reason: 'listener threw' },
        { ok: true, ackPayload: 'fine' },
      ]);
      expect(sink.delivered).toBe(1);
    });
  });
});
