import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { childEndpoint, IpcClosedError, IpcConnectQueue, serveConnectQueueOverIpc } from '../../shared/adapters/ipc';
import { MemoryConnectQueue } from '../../shared/adapters/memory';
import type { ConnectCommand } from '../../shared/ports';
import { forkIpcChild, killChild, nextReport } from '../support/ipc-children';
import { waitFor } from '../support/wait-for';
import { connectQueueContract, countingReceives } from './connect-queue-contract';

// Real forked children (`test/support/ipc-child.ts` under tsx). In the contract, the queue under
// test is the child's relay: parent test → IPC → child's IpcConnectQueue → IPC → parent's
// MemoryConnectQueue, so both halves of the bridge run over a real channel.

describe('IPC bridge: the ConnectQueue contract through a forked child', () => {
  connectQueueContract(async ({ visibilityTimeoutMs }) => {
    const child = await forkIpcChild('relay');
    const backend = countingReceives(new MemoryConnectQueue({ visibilityTimeoutMs }));
    const stop = serveConnectQueueOverIpc(child, backend.queue);
    return {
      queue: new IpcConnectQueue(childEndpoint(child)),
      close: async () => {
        stop();
        await killChild(child);
      },
      receiving: backend.receiving,
    };
  });
});

describe('IPC bridge when the child dies', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killChild));
  });
  const fork = async (mode: 'relay' | 'hold'): Promise<ChildProcess> => {
    const child = await forkIpcChild(mode);
    children.push(child);
    return child;
  };

  it('redelivers what a killed child received but never acked, once the visibility timeout passes', async () => {
    const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 500 });
    const sent: ConnectCommand[] = [1, 2, 3].map((epoch) => ({ linkId: `rtm:A1:T${epoch}`, epoch }));
    for (const command of sent) await queue.send(command);
    const child = await fork('hold');
    const received = nextReport(child, 'received');
    const polling = nextReport(child, 'polling');
    serveConnectQueueOverIpc(child, queue);

    expect((await received).commands).toEqual(sent);
    await polling;
    await killChild(child);

    // Still owned by the parent's queue (hidden, or visible again if the kill was slow): none lost.
    const { visible, inFlight } = queue.stats();
    expect(visible + inFlight).toBe(3);
    const again = await queue.receive({ max: 10, waitMs: 15_000 });
    expect(again.map((item) => item.command)).toEqual(sent);
  });

  it("does not let a dead child's pending long poll swallow later commands", async () => {
    const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 60_000 });
    const child = await fork('hold');
    const polling = nextReport(child, 'polling');
    serveConnectQueueOverIpc(child, queue);
    await queue.send({ linkId: 'rtm:A1:T1', epoch: 1 });
    await polling; // the child took epoch 1 and is long-polling again
    await killChild(child);

    await queue.send({ linkId: 'rtm:A1:T2', epoch: 2 });
    // A poll still parked for the dead child would have taken it and hidden it for 60 s.
    const got = await queue.receive({ max: 10, waitMs: 0 });
    expect(got.map((item) => item.command.epoch)).toEqual([2]);
  });

  it('rejects calls still waiting for an answer when the other side dies', async () => {
    const child = await fork('relay');
    const backend = countingReceives(new MemoryConnectQueue());
    serveConnectQueueOverIpc(child, backend.queue);
    const viaChild = new IpcConnectQueue(childEndpoint(child));
    const waiting = viaChild.receive({ max: 10, waitMs: 60_000 }).catch((error: unknown) => error);
    await waitFor(() => backend.receiving() === 1, 10_000, () => 'the receive to wait in the parent');
    await killChild(child);
    expect(await waiting).toBeInstanceOf(IpcClosedError);
    await expect(viaChild.send({ linkId: 'l', epoch: 1 })).rejects.toMatchObject({ code: 'IPC_CLOSED' });
  });
});
