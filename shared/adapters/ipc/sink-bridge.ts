import type { ChildProcess } from 'node:child_process';
import { SinkError, type Sink, type SinkEvent } from '../../ports';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { serveRpc } from './rpc-server';

const service = 'lifeline.sink';

type Answer = { ok: true } | { ok: false; message: string; failedIds: string[] };

/** Parent side: the embedded sink (a handler module or callback) serving a forked worker. */
export const serveSinkOverIpc = (child: ChildProcess | IpcEndpoint, sink: Sink): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  return serveRpc(endpoint, service, {
    deliver: async (params): Promise<Answer> => {
      const events = params as SinkEvent[];
      try {
        await sink.deliver(events);
        return { ok: true };
      } catch (error) {
        const failedIds = error instanceof SinkError ? error.failedIds : events.map((e) => e.id);
        return { ok: false, message: error instanceof Error ? error.message : String(error), failedIds };
      }
    },
  });
};

/** Child side: delivers to the parent's sink; a refusal comes back as a SinkError with the failed ids. */
export class IpcSink implements Sink {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  async deliver(events: SinkEvent[]): Promise<void> {
    if (events.length === 0) return;
    let answer: Answer;
    try {
      answer = (await this.rpc.call('deliver', events)) as Answer;
    } catch (error) {
      throw new SinkError('parent sink unreachable', events.map((e) => e.id), { cause: error });
    }
    if (!answer.ok) throw new SinkError(answer.message, answer.failedIds);
  }
}
