import type { IpcEndpoint } from './ipc-endpoint';
import { IpcClosedError, IpcRemoteError, isRpcMessage, type RpcRequest } from './rpc-protocol';

interface Call {
  method: string;
  onProgress: ((value: unknown) => void) | undefined;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * Calls one service across an endpoint. An aborted call is cancelled on the server but still
 * resolves with the server's answer: a receive cancelled just as commands arrived must hand
 * them over, not drop them on the floor.
 */
export class RpcClient {
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly endpoint: IpcEndpoint,
    private readonly service: string,
  ) {
    endpoint.onMessage((message) => {
      if (!isRpcMessage(message, service)) return;
      const call = this.calls.get(message.id);
      if (!call) return;
      if (message.kind === 'progress') call.onProgress?.(message.value);
      if (message.kind !== 'response') return;
      this.calls.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new IpcRemoteError(message.error));
    });
    endpoint.onClose(() => {
      this.closed = true;
      for (const call of this.calls.values()) call.reject(new IpcClosedError(service, call.method));
      this.calls.clear();
    });
  }

  /** `onProgress` gets the server's partial answers, each before the call resolves. */
  call(method: string, params: unknown, signal?: AbortSignal, onProgress?: (value: unknown) => void): Promise<unknown> {
    if (this.closed) return Promise.reject(new IpcClosedError(this.service, method));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancel = (): void => this.endpoint.send({ service: this.service, kind: 'cancel', id });
      const done = (): void => signal?.removeEventListener('abort', cancel);
      this.calls.set(id, {
        method,
        onProgress,
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
      });
      const request: RpcRequest = { service: this.service, kind: 'request', id, method, params };
      this.endpoint.send(request);
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}
