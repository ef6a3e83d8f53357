// The wire format of the IPC bridges: JSON-safe request/response pairs matched by id. Every
// message names its service, so several bridges (and the caller's own messages) share a channel.

export interface RpcRequest {
  service: string;
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}

/** Asks the server to abort the request `id` (its AbortSignal fires); the response still comes. */
export interface RpcCancel {
  service: string;
  kind: 'cancel';
  id: number;
}

/** A partial answer to the request `id`, sent before its response (a sink's answer per event). */
export interface RpcProgress {
  service: string;
  kind: 'progress';
  id: number;
  value: unknown;
}

export interface RpcFailure {
  name: string;
  message: string;
  code?: string;
}

export type RpcResponse =
  | { service: string; kind: 'response'; id: number; ok: true; result: unknown }
  | { service: string; kind: 'response'; id: number; ok: false; error: RpcFailure };

export type RpcMessage = RpcRequest | RpcCancel | RpcProgress | RpcResponse;

export const isRpcMessage = (message: unknown, service: string): message is RpcMessage =>
  typeof message === 'object' &&
  message !== null &&
  (message as { service?: unknown }).service === service &&
  typeof (message as { id?: unknown }).id === 'number';

/** A failure raised on the other side of the channel, with its name and code kept. */
export class IpcRemoteError extends Error {
  readonly code: string;

  constructor(readonly remote: RpcFailure) {
    super(remote.message);
    this.name = remote.name;
    this.code = remote.code ?? 'IPC_REMOTE_ERROR';
  }
}

/** The channel closed before the answer came: the other process is gone. */
export class IpcClosedError extends Error {
  readonly code = 'IPC_CLOSED';

  constructor(service: string, method: string) {
    super(`${service}.${method}: the IPC channel closed before an answer`);
    this.name = new.target.name;
  }
}

export const toFailure = (error: unknown): RpcFailure => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string'
    ? { name: error.name, message: error.message, code }
    : { name: error.name, message: error.message };
};
