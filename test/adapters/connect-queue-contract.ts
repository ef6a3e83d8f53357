import { afterEach, expect, it } from 'vitest';
import type { ConnectCommand, ConnectQueue, ReceivedCommand } from '../../shared/ports';

export interface QueueUnderTest {
  queue: ConnectQueue;
  close?(): Promise<void>;
  /**
   * Receives parked at the backend right now: how a test knows a long poll is waiting before it
   * sends or aborts. Omitted where `receive` parks synchronously (the memory queue).
   */
  receiving?(): number;
}

/** Builds a fresh, empty queue whose messages stay hidden for `visibilityTimeoutMs` once received. */
export type QueueFactory = (options: { visibilityTimeoutMs: number }) => Promise<QueueUnderTest>;

/** Wraps a queue to count the receives waiting in it: the `receiving` probe for a backend behind a bridge. */
export const countingReceives = (queue: ConnectQueue): { queue: ConnectQueue; receiving(): number } => {
  let waiting = 0;
  return {
    queue: {
      send: (command) => queue.send(command),
      receive: async (options) => {
        waiting += 1;
        try {
          return await queue.receive(options);
        } finally {
          waiting -= 1;
        }
      },
    },
    receiving: () => waiting,
  };
};

const command = (epoch: number, extra: Partial<ConnectCommand> = {}): ConnectCommand => ({
  linkId: 'rtm:A1:T1',
  epoch,
  ...extra,
});

const epochs = (received: ReceivedCommand[]): number[] => received.map((item) => item.command.epoch);

/** Receives until `count` commands arrived (or a poll comes back empty). */
const receiveAll = async (queue: ConnectQueue, count: number, waitMs = 5_000): Promise<ReceivedCommand[]> => {
  const all: ReceivedCommand[] = [];
  while (all.length < count) {
    const got = await queue.receive({ max: 10, waitMs });
    if (got.length === 0) break;
    all.push(...got);
  }
  return all;
};

/**
 * The ConnectQueue contract: SQS standard-queue semantics (at-least-once, visibility timeout,
 * long polls) that every implementation must share. Real time, with generous waits: the IPC
 * and SQS variants cannot take an injected clock. Timing only ever bounds how long a test may
 * take, never what it asserts.
 */
export const connectQueueContract = (makeQueue: QueueFactory): void => {
  let current: QueueUnderTest | undefined;
  const open = async (visibilityTimeoutMs = 60_000): Promise<ConnectQueue> => {
    current = await makeQueue({ visibilityTimeoutMs });
    return current.queue;
  };
  afterEach(async () => {
    await current?.close?.();
    current = undefined;
  });
  /** Until the long poll just started has reached the backend and waits there. */
  const parked = async (): Promise<void> => {
    const receiving = current?.receiving?.bind(current);
    if (!receiving) return;
    const deadline = Date.now() + 10_000;
    while (receiving() < 1) {
      if (Date.now() > deadline) throw new Error('the long poll never reached the backend');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('delivers a sent command with every field intact', async () => {
    const queue = await open();
    const sent = command(7, { taskToken: 'token-1', handoffFrom: 'worker-a' });
    await queue.send(sent);
    const [received, ...rest] = await queue.receive({ max: 10, waitMs: 5_000 });
    expect(rest).toEqual([]);
    expect(received?.command).toEqual(sent);
  });

  it('hands out at most `max` commands per receive, oldest first', async () => {
    const queue = await open();
    for (const epoch of [1, 2, 3, 4, 5]) await queue.send(command(epoch));
    const first = await queue.receive({ max: 3, waitMs: 5_000 });
    expect(epochs(first)).toEqual([1, 2, 3]);
    expect(epochs(await receiveAll(queue, 2))).toEqual([4, 5]);
  });

  it('hides a received command from every other receiver until it times out', async () => {
    const queue = await open(60_000);
    await queue.send(command(1));
    expect(epochs(await queue.receive({ max: 10, waitMs: 5_000 }))).toEqual([1]);
    expect(await queue.receive({ max: 10, waitMs: 0 })).toEqual([]);
    expect(await queue.receive({ max: 10, waitMs: 1_000 })).toEqual([]);
  });

  it('never delivers an acked command again', async () => {
    const queue = await open(1_000);
    await queue.send(command(1));
    const [received] = await queue.receive({ max: 10, waitMs: 5_000 });
    await received?.ack();
    // Well past the visibility timeout: an unacked command would be back by now.
    expect(await queue.receive({ max: 10, waitMs: 3_000 })).toEqual([]);
  });

  it('delivers an unacked command again once its visibility timeout passes', async () => {
    const queue = await open(1_000);
    await queue.send(command(1));
    const [first] = await queue.receive({ max: 10, waitMs: 5_000 });
    const [again] = await queue.receive({ max: 10, waitMs: 15_000 });
    expect(again?.command).toEqual(first?.command);
    // The first delivery's ack is stale: the command now belongs to the second receiver.
    await first?.ack();
    await again?.ack();
    expect(await queue.receive({ max: 10, waitMs: 3_000 })).toEqual([]);
  });

  it('keeps a command hidden past its visibility timeout while its receiver says it still works on it', async () => {
    const queue = await open(1_000);
    await queue.send(command(1));
    const [received] = await queue.receive({ max: 10, waitMs: 5_000 });
    await received?.keepHidden(4_000);
    // Well past the 1 s timeout, still hidden; back once the 4 s are over.
    expect(await queue.receive({ max: 10, waitMs: 2_000 })).toEqual([]);
    const [again] = await queue.receive({ max: 10, waitMs: 15_000 });
    expect(again?.command).toEqual(received?.command);
    await again?.ack();
  });

  it('leaves a command alone when a stale delivery asks to keep it hidden', async () => {
    const queue = await open(1_000);
    await queue.send(command(1));
    const [first] = await queue.receive({ max: 10, waitMs: 5_000 });
    const [second] = await queue.receive({ max: 10, waitMs: 15_000 });
    expect(second?.command).toEqual(first?.command);
    // The first delivery is stale: its keepHidden neither fails nor hides the second's message.
    await first?.keepHidden(60_000);
    const [third] = await queue.receive({ max: 10, waitMs: 15_000 });
    expect(third?.command).toEqual(first?.command);
    await third?.ack();
    await first?.ack();
    await queue.send(command(2));
    const [fresh] = await queue.receive({ max: 10, waitMs: 5_000 });
    await fresh?.keepHidden(0); // visible again at once
    expect(epochs(await queue.receive({ max: 10, waitMs: 5_000 }))).toEqual([2]);
  });

  it('answers a waiting long poll with a command sent while it waits', async () => {
    const queue = await open();
    const waiting = queue.receive({ max: 10, waitMs: 15_000 });
    await parked();
    await queue.send(command(3));
    expect(epochs(await waiting)).toEqual([3]);
  });

  it('resolves an empty long poll with nothing once the wait is over', async () => {
    const queue = await open();
    expect(await queue.receive({ max: 10, waitMs: 1_000 })).toEqual([]);
  });

  it('resolves an aborted receive with nothing and leaves later commands to others', async () => {
    const queue = await open(1_000);
    const controller = new AbortController();
    const waiting = queue.receive({ max: 10, waitMs: 15_000, signal: controller.signal });
    await parked();
    controller.abort();
    expect(await waiting).toEqual([]);
    await queue.send(command(4));
    // SQS may hand a command to a poll aborted in flight; it is back after the visibility timeout.
    expect(epochs(await queue.receive({ max: 10, waitMs: 15_000 }))).toEqual([4]);
  });

  it('takes nothing for a receive whose signal is already aborted', async () => {
    const queue = await open();
    await queue.send(command(5));
    expect(await queue.receive({ max: 10, waitMs: 5_000, signal: AbortSignal.abort() })).toEqual([]);
    expect(epochs(await queue.receive({ max: 10, waitMs: 5_000 }))).toEqual([5]);
  });

  it('gives each command to exactly one of several concurrent receivers', async () => {
    const queue = await open(60_000);
    for (let epoch = 1; epoch <= 20; epoch++) await queue.send(command(epoch));
    const receivers = Array.from({ length: 4 }, () => receiveAll(queue, 20, 1_000));
    const all = (await Promise.all(receivers)).flat();
    expect(epochs(all).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps identical commands apart unless asked to dedupe', async () => {
    const queue = await open();
    await queue.send(command(1));
    await queue.send(command(1));
    expect(epochs(await receiveAll(queue, 2))).toEqual([1, 1]);
  });
};
