import type { IpcEndpoint } from './ipc-endpoint';
import { isRpcMessage, toFailure, type RpcResponse } from './rpc-protocol';

/** `progress` sends a partial answer now (the channel keeps order: it arrives before the response). */
export type RpcHandler = (params: unknown, signal: AbortSignal, progress: (value: unknown) => void) => Promise<unknown>;

/**
 * Answers one service's requests arriving over an endpoint. When the channel closes, every
 * request still running is aborted and `onClose` runs, so the caller can drop whatever it held
 * for the other process. Returns a function that stops serving.
 */
export const serveRpc = (
  endpoint: IpcEndpoint,
  service: string,
  handlers: Record<string, RpcHandler>,
  onClose?: () => void,
): (() => void) => {
  const running = new Map<number, AbortController>();
  let open = true;

  const handle = async (id: number, method: string, params: unknown): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    const progress = (value: unknown): void => {
      if (open) endpoint.send({ service, kind: 'progress', id, value });
    };
    let response: RpcResponse;
    try {
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (!handler) throw new Error(`${service} has no method ${method}`);
      response = { service, kind: 'response', id, ok: true, result: await handler(params, controller.signal, progress) };
    } catch (error) {
      response = { service, kind: 'response', id, ok: false, error: toFailure(error) };
    } finally {
      running.delete(id);
    }
    if (open) endpoint.send(response);
  };

  const stopMessages = endpoint.onMessage((message) => {
    if (!isRpcMessage(message, service)) return;
    if (message.kind === 'request') void handle(message.id, message.method, message.params);
    else if (message.kind === 'cancel') running.get(message.id)?.abort();
  });

  const stop = (): void => {
    if (!open) return;
    open = false;
    stopMessages();
    stopClose();
    for (const controller of running.values()) controller.abort();
    running.clear();
    onClose?.();
  };
  const stopClose = endpoint.onClose(stop);
  return stop;
};
