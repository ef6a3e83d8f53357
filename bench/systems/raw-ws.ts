import WebSocket from 'ws';
import type { BenchSystem, LinkTarget, SystemContext } from './types';

/**
 * The memory baseline: a bare `ws` client per link with `ws`'s defaults, holding one RTM socket.
 * No liveness, no reconnects, no handlers. In the memory child the parent fetches the URLs, so
 * the baseline is the cost of the sockets alone, not of an HTTP client's buffers.
 */
export class RawWsSystem implements BenchSystem {
  readonly name = 'rawWs';
  readonly protocols = ['rtm'] as const;
  private targets: readonly LinkTarget[] = [];
  private readonly sockets: WebSocket[] = [];

  constructor(private readonly ctx: SystemContext) {}

  async prepare(targets: readonly LinkTarget[]): Promise<void> {
    if (targets.some((target) => target.protocol !== 'rtm')) throw new Error('the raw baseline holds RTM links only');
    this.targets = targets;
  }

  async start(): Promise<void> {
    for (const target of this.targets) void this.open(target).catch(() => undefined);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
  }

  private async open(target: LinkTarget): Promise<void> {
    const url = target.url ?? (await this.connectUrl(target));
    const socket = new WebSocket(url);
    socket.on('error', () => undefined);
    this.sockets.push(socket);
  }

  private async connectUrl(target: LinkTarget): Promise<string> {
    const res = await fetch(`${this.ctx.apiUrl}rtm.connect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const body = (await res.json()) as { ok?: boolean; url?: string };
    if (!body.ok || !body.url) throw new Error('rtm.connect failed');
    return body.url;
  }
}
