import type { ChildProcess } from 'node:child_process';

/**
 * One end of a Node IPC channel, reduced to what the bridges need. `send` on a closed channel
 * is dropped: the other side is gone and will never answer, which its owner learns from
 * `onClose`.
 */
export interface IpcEndpoint {
  send(message: unknown): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once, when the channel closes (the other process exited or disconnected). */
  onClose(listener: () => void): () => void;
}

interface IpcProcess {
  readonly connected: boolean;
  send?(message: unknown, sendHandle?: undefined, options?: undefined, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect' | 'exit', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'disconnect' | 'exit', listener: () => void): unknown;
}

const endpointOf = (proc: IpcProcess): IpcEndpoint => ({
  send: (message) => {
    if (!proc.connected || !proc.send) return;
    // The callback keeps a send racing the channel's close from surfacing as an 'error' event.
    proc.send(message, undefined, undefined, () => undefined);
  },
  onMessage: (listener) => {
    proc.on('message', listener);
    return () => void proc.off('message', listener);
  },
  onClose: (listener) => {
    let closed = !proc.connected;
    const once = (): void => {
      if (closed) return;
      closed = true;
      listener();
    };
    proc.on('disconnect', once);
    proc.on('exit', once);
    if (closed) queueMicrotask(listener);
    return () => {
      proc.off('disconnect', once);
      proc.off('exit', once);
    };
  },
});

/** The parent's end of a forked child's channel. */
export const childEndpoint = (child: ChildProcess): IpcEndpoint => endpointOf(child as unknown as IpcProcess);

/** A forked child's end of the channel to its parent. */
export const parentEndpoint = (proc: NodeJS.Process = process): IpcEndpoint => {
  if (!proc.send) throw new Error('this process has no IPC channel: it was not started with child_process.fork');
  return endpointOf(proc as unknown as IpcProcess);
};
