import { SocketModeClient } from '@slack/socket-mode';
import { markerOf, type BenchSystem, type LinkTarget, type SystemContext } from './types';

/**
 * `@slack/socket-mode`'s SocketModeClient with its defaults: one client per app, nothing set but
 * `clientOptions.slackApiUrl`. Its handler acks every envelope, as a Bolt app would.
 */
export class SocketModeClientSystem implements BenchSystem {
  readonly name = 'socketModeClient';
  readonly protocols = ['socket'] as const;
  private readonly clients: SocketModeClient[] = [];

  constructor(private readonly ctx: SystemContext) {}

  async prepare(targets: readonly LinkTarget[]): Promise<void> {
    for (const target of targets) {
      if (target.protocol !== 'socket') throw new Error('SocketModeClient holds Socket Mode links only');
      const client = new SocketModeClient({ appToken: target.token, clientOptions: { slackApiUrl: this.ctx.apiUrl } });
      client.on('slack_event', (args: { ack: () => Promise<void>; body: unknown }) => {
        const marker = markerOf(args.body);
        if (marker !== undefined) this.ctx.onDelivery({ marker, at: Date.now() });
        void args.ack().catch(() => undefined);
      });
      this.clients.push(client);
    }
  }

  async start(): Promise<void> {
    // Not awaited one by one: every client connects at once, as thousands of bots starting would.
    for (const client of this.clients) void client.start().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => withTimeout(client.disconnect(), 3_000)));
  }
}

/** A peer's own shutdown may wait on a socket we black-holed; the bench does not wait for it forever. */
export function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.catch(() => undefined).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
