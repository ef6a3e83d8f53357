import type { ChildProcess } from 'node:child_process';
import type { Sink, SinkAnswer, SinkEvent } from '../../ports';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { serveRpc } from './rpc-server';

const service = 'lifeline.sink';

/** One event's answer, sent as a progress message the moment it settles. */
interface Answered {
  index: number;
  answer: SinkAnswer;
}

/**
 * Parent side: the embedded sink (the bot's handler, or its Bolt app) serving a forked worker.
 * A batch comes in one message; each event's answer goes back on its own as soon as it settles
 * (a progress message), so a slow event holds back nobody else's ack.
 */
export const serveSinkOverIpc = (child: ChildProcess | IpcEndpoint, sink: Sink): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  return serveRpc(endpoint, service, {
    deliver: async (params, _signal, progress) => {
      const events = params as SinkEvent[];
      await Promise.all(sink.deliver(events).map(async (pending, index) => {
        const answer = await pending.catch((error: unknown): SinkAnswer => ({ ok: false, reason: String(error) }));
        progress({ index, answer } satisfies Answered);
      }));
      return { answered: events.length };
    },
  });
};

/** Child side: delivers to the parent's sink; each event's answer resolves on its own. */
export class IpcSink implements Sink {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    if (events.length === 0) return [];
    const settle: Array<(answer: SinkAnswer) => void> = [];
    const answers = events.map(() => new Promise<SinkAnswer>((resolve) => settle.push(resolve)));
    const onProgress = (value: unknown): void => {
      const { index, answer } = value as Answered;
      settle[index]?.(answer);
    };
    // Resolving twice is a no-op: once the call ends, whatever was not answered is refused.
    const unanswered = (reason: string): void => settle.forEach((resolve) => resolve({ ok: false, reason }));
    this.rpc.call('deliver', events, undefined, onProgress).then(
      () => unanswered('the parent sink gave no answer for this event'),
      (error: unknown) => unanswered(`parent sink unreachable: ${error instanceof Error ? error.message : String(error)}`),
    );
    return answers;
  }
}
