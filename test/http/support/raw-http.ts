import { connect, type Socket } from 'node:net';

/**
 * A client at the TCP level, for what `fetch` will not do: send half a request, trickle bytes,
 * stop reading, vanish mid-body. Everything it receives is kept.
 */
export class RawHttpClient {
  received = '';
  /** Bytes written by `trickle` so far. */
  trickled = 0;
  closed = false;
  private readonly done: Promise<void>;
  private timer: ReturnType<typeof setInterval> | undefined;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('error', () => undefined);
    this.done = new Promise((resolve) => socket.once('close', () => {
      this.closed = true;
      this.stopTrickle();
      resolve();
    }));
  }

  static open(baseUrl: string): Promise<RawHttpClient> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => resolve(new RawHttpClient(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  /** One byte every `everyMs` until the server closes the connection (or `stopTrickle`). */
  trickle(everyMs: number, byte = 'x'): void {
    this.timer = setInterval(() => {
      if (this.closed || this.socket.destroyed) return this.stopTrickle();
      this.socket.write(byte);
      this.trickled += 1;
    }, everyMs);
  }

  stopTrickle(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops reading: the kernel buffers fill, then the server's. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Reads again (what it missed is dropped), so a close from the server is seen. */
  drain(): void {
    this.socket.removeAllListeners('data');
    this.socket.on('data', () => undefined);
    this.socket.resume();
  }

  /** Resolves once the connection is closed, by either side. */
  untilClosed(): Promise<void> {
    return this.done;
  }

  destroy(): void {
    this.stopTrickle();
    this.socket.destroy();
  }
}
