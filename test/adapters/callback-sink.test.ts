import { describe, expect, it } from 'vitest';
import { CallbackSink } from '../../shared/adapters/memory';
import { SinkError, type SinkEvent } from '../../shared/ports';

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

describe('CallbackSink', () => {
  it('resolves only after the callback has finished with the events', async () => {
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
    const delivery = sink.deliver([event('E1'), event('E2')]).then(() => (delivered = true));
    await inCallback;
    // One turn of the event loop: every promise reaction a sink not waiting for its callback would
    // have resolved by has run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toBe(false);
    finish();
    await delivery;
    expect(seen).toEqual([['E1', 'E2']]);
  });

  it('turns a rejecting callback into a SinkError naming every event, with the cause', async () => {
    const cause = new Error('bot handler crashed');
    const sink = new CallbackSink(async () => {
      throw cause;
    });
    const error = await sink.deliver([event('E1'), event('E2')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ code: 'SINK_FAILED', failedIds: ['E1', 'E2'], cause });
  });

  it('turns a synchronously throwing callback into a SinkError too', async () => {
    const sink = new CallbackSink(() => {
      throw new TypeError('boom');
    });
    await expect(sink.deliver([event('E1')])).rejects.toMatchObject({ name: 'SinkError', failedIds: ['E1'] });
  });

  it('refuses a batch whose callback overruns its time, and counts only accepted events', async () => {
    let slow = true;
    const sink = new CallbackSink(async () => {
      if (slow) await new Promise(() => undefined); // hangs for good
    }, { timeoutMs: 30 });
    await sink.deliver([event('E1')]).then(() => expect.unreachable('a hung callback must not count as accepted'), (error: unknown) => {
      expect(error).toBeInstanceOf(SinkError);
      expect(error).toMatchObject({ failedIds: ['E1'] });
      expect(String((error as SinkError).cause)).toContain('did not settle within 30 ms');
    });
    expect(sink.delivered).toBe(0);
    slow = false;
    await sink.deliver([event('E2'), event('E3')]);
    expect(sink.delivered).toBe(2);
  });

  it('does not bother the callback with an empty batch', async () => {
    let calls = 0;
    const sink = new CallbackSink(() => void calls++);
    await sink.deliver([]);
    expect(calls).toBe(0);
  });
});
