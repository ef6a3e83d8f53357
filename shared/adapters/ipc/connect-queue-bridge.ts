import type { ChildProcess } from 'node:child_process';
import type { ConnectCommand, ConnectQueue, ReceivedCommand } from '../../ports';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { serveRpc } from './rpc-server';

const service = 'lifeline.connect-queue';

interface WireReceived {
  receipt: string;
  command: ConnectCommand;
}

/**
 * Parent side: serves `queue` to one forked child. The parent's queue keeps owning every
 * message, and the child only holds receipts; when the child dies its receipts are dropped,
 * so whatever it received but never acked becomes visible again after the visibility timeout.
 * Returns a function that stops serving.
 */
export const serveConnectQueueOverIpc = (child: ChildProcess | IpcEndpoint, queue: ConnectQueue): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  const receipts = new Map<string, ReceivedCommand>();
  let nextReceipt = 1;
  return serveRpc(
    endpoint,
    service,
    {
      send: async (params) => queue.send(params as ConnectCommand),
      receive: async (params, signal): Promise<WireReceived[]> => {
        const { max, waitMs } = params as { max: number; waitMs: number };
        const received = await queue.receive({ max, waitMs, signal });
        return received.map((item) => {
          const receipt = String(nextReceipt++);
          receipts.set(receipt, item);
          return { receipt, command: item.command };
        });
      },
      ack: async (params) => {
        const { receipt } = params as { receipt: string };
        const item = receipts.get(receipt);
        receipts.delete(receipt);
        await item?.ack();
      },
      keepHidden: async (params) => {
        const { receipt, ms } = params as { receipt: string; ms: number };
        await receipts.get(receipt)?.keepHidden(ms);
      },
    },
    () => receipts.clear(),
  );
};

/** Child side: the parent's ConnectQueue, over the IPC channel (`parentEndpoint()`). */
export class IpcConnectQueue implements ConnectQueue {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  async send(command: ConnectCommand): Promise<void> {
    await this.rpc.call('send', command);
  }

  async receive(options: { max: number; waitMs: number; signal?: AbortSignal }): Promise<ReceivedCommand[]> {
    const { max, waitMs, signal } = options;
    if (signal?.aborted) return [];
    const received = (await this.rpc.call('receive', { max, waitMs }, signal)) as WireReceived[];
    return received.map(({ receipt, command }) => ({
      command,
      ack: async () => {
        await this.rpc.call('ack', { receipt });
      },
      keepHidden: async (ms: number) => {
        await this.rpc.call('keepHidden', { receipt, ms });
      },
    }));
  }
}
