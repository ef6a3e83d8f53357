import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpResponse, RequestHandler } from '@smithy/types';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];

/**
 * An HTTP handler that lets at most `slots` requests reach the connection pool at once; the rest
 * wait here, in order, for at most `queueTimeoutMs`. Why: the SDK's per-attempt timer starts
 * when a request reaches the handler, so a burst (a cold start, a storm: thousands of link writes
 * in one tick) queued inside the pool timed out on its own backlog, not on the store, and every
 * such write failed as "store away". Here the attempt timer measures the store alone, and the
 * wait ahead of it is bounded separately, so a store that holds requests still fails every call.
 */
export class GatedRequestHandler implements RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  private active = 0;
  private readonly waiting: { resume: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly inner: NodeHttpHandler,
    private readonly slots: number,
    private readonly queueTimeoutMs: number,
  ) {}

  static create(options: NodeHttpHandlerOptions & { slots: number; queueTimeoutMs: number }): GatedRequestHandler {
    const { slots, queueTimeoutMs, ...handler } = options;
    return new GatedRequestHandler(new NodeHttpHandler({ ...handler, httpAgent: { maxSockets: slots, keepAlive: true } }), slots, queueTimeoutMs);
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    await this.acquire();
    try {
      return await this.inner.handle(request, options);
    } finally {
      this.release();
    }
  }

  destroy(): void {
    this.inner.destroy();
  }

  private acquire(): Promise<void> {
    if (this.active < this.slots) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        resume: () => {
          clearTimeout(entry.timer);
          this.active += 1;
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(Object.assign(new Error(`store call waited ${this.queueTimeoutMs} ms for one of ${this.slots} connections`), { name: 'TimeoutError' }));
        }, this.queueTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    this.active -= 1;
    this.waiting.shift()?.resume();
  }
}
