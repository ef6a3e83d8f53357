import { describe, expect, it } from 'vitest';
import { MemoryConnectQueue } from '../../shared/adapters/memory';
import type { ConnectQueue } from '../../shared/ports';
import { ManualTimers } from '../support/manual-timers';
import { connectQueueContract } from './connect-queue-contract';

describe('MemoryConnectQueue: the ConnectQueue contract', () => {
  connectQueueContract(async ({ visibilityTimeoutMs }) => ({ queue: new MemoryConnectQueue({ visibilityTimeoutMs }) }));
});

describe('MemoryConnectQueue on a hand-driven clock', () => {
  const setup = (options: { dedupe?: boolean } = {}) => {
    const timers = new ManualTimers();
    const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 1_000, timers, ...options });
    return { timers, queue };
  };
  const epochsOf = async (queue: ConnectQueue): Promise<number[]> =>
    (await queue.receive({ max: 10, waitMs: 0 })).map((item) => item.command.epoch);

  it('hides a received command for exactly the visibility timeout', async () => {
    const { timers, queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    expect(await epochsOf(queue)).toEqual([1]);
    await timers.advance(999);
    expect(await epochsOf(queue)).toEqual([]);
    await timers.advance(1);
    expect(await epochsOf(queue)).toEqual([1]);
  });

  it('wakes a waiting long poll when a hidden command times out', async () => {
    const { timers, queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.receive({ max: 1, waitMs: 0 });
    let result: number[] | undefined;
    void queue.receive({ max: 10, waitMs: 5_000 }).then((got) => (result = got.map((item) => item.command.epoch)));
    await timers.advance(999);
    expect(result).toBeUndefined();
    await timers.advance(1);
    expect(result).toEqual([1]);
    expect(timers.pending).toBe(0);
  });

  it('ends a long poll empty after exactly waitMs', async () => {
    const { timers, queue } = setup();
    let result: unknown;
    void queue.receive({ max: 10, waitMs: 300 }).then((got) => (result = got));
    await timers.advance(299);
    expect(result).toBeUndefined();
    await timers.advance(1);
    expect(result).toEqual([]);
  });

  it('redelivers a timed-out command in its original place, ahead of newer ones', async () => {
    const { timers, queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.receive({ max: 1, waitMs: 0 });
    await queue.send({ linkId: 'l', epoch: 2 });
    await timers.advance(1_000);
    expect(await epochsOf(queue)).toEqual([1, 2]);
  });

  it('deletes a command acked after its timeout if nobody received it since', async () => {
    const { timers, queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    const [late] = await queue.receive({ max: 1, waitMs: 0 });
    await timers.advance(5_000);
    await late?.ack();
    expect(await epochsOf(queue)).toEqual([]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('serves waiting receivers in the order they started waiting', async () => {
    const { queue } = setup();
    const first = queue.receive({ max: 10, waitMs: 5_000 });
    const second = queue.receive({ max: 10, waitMs: 5_000 });
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.send({ linkId: 'l', epoch: 2 });
    expect((await first).map((item) => item.command.epoch)).toEqual([1]);
    expect((await second).map((item) => item.command.epoch)).toEqual([2]);
  });

  it('counts visible and in-flight commands', async () => {
    const { queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.send({ linkId: 'l', epoch: 2 });
    await queue.receive({ max: 1, waitMs: 0 });
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 1 });
  });

  it('with dedupe, drops a send identical to a pending command until that one is acked', async () => {
    const { queue } = setup({ dedupe: true });
    await queue.send({ linkId: 'l', epoch: 1, handoffFrom: 'w1' });
    await queue.send({ linkId: 'l', epoch: 1, handoffFrom: 'w1' });
    const [only, ...rest] = await queue.receive({ max: 10, waitMs: 0 });
    expect(rest).toEqual([]);
    // Still pending while in flight: a duplicate is dropped.
    await queue.send({ linkId: 'l', epoch: 1, handoffFrom: 'w1' });
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 1 });
    await only?.ack();
    await queue.send({ linkId: 'l', epoch: 1, handoffFrom: 'w1' });
    expect(await epochsOf(queue)).toEqual([1]);
  });

  it('with dedupe, keeps commands that differ in epoch, hand-off or task token', async () => {
    const { queue } = setup({ dedupe: true });
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.send({ linkId: 'l', epoch: 2 });
    await queue.send({ linkId: 'l', epoch: 1, handoffFrom: 'w1' });
    await queue.send({ linkId: 'l', epoch: 1, taskToken: 't1' });
    await queue.send({ linkId: 'other', epoch: 1 });
    expect(queue.stats().visible).toBe(5);
  });

  it('hands out copies, so a receiver cannot change a command that may be redelivered', async () => {
    const { timers, queue } = setup();
    await queue.send({ linkId: 'l', epoch: 1 });
    const [received] = await queue.receive({ max: 1, waitMs: 0 });
    if (received) received.command.epoch = 99;
    await timers.advance(1_000);
    expect(await epochsOf(queue)).toEqual([1]);
  });
});
