import { RTMClient } from '@slack/rtm-api';
import { withTimeout } from './socket-mode-client';
import { markerOf, type BenchSystem, type LinkTarget, type SystemContext } from './types';

/** `@slack/rtm-api`'s RTMClient with its defaults: one client per workspace, nothing set but `slackApiUrl`. */
export class RtmClientSystem implements BenchSystem {
  readonly name = 'rtmClient';
  readonly protocols = ['rtm'] as const;
  private readonly clients: RTMClient[] = [];

  constructor(private readonly ctx: SystemContext) {}

  async prepare(targets: readonly LinkTarget[]): Promise<void> {
    for (const target of targets) {
      if (target.protocol !== 'rtm') throw new Error('RTMClient holds RTM links only');
      const client = new RTMClient(target.token, { slackApiUrl: this.ctx.apiUrl });
      client.on('slack_event', (_type: string, event: unknown) => {
        const marker = markerOf(event);
        if (marker !== undefined) this.ctx.onDelivery({ marker, at: Date.now() });
      });
      // An EventEmitter 'error' without a listener would crash the bench, not just this client.
      client.on('error', () => undefined);
      this.clients.push(client);
    }
  }

  async start(): Promise<void> {
    for (const client of this.clients) void client.start().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => withTimeout(client.disconnect(), 3_000)));
  }
}
