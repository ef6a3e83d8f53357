import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
}

/**
 * A classic app's Request URLs as a plain `node:http` server: records every request and answers
 * with what the test's handler returns (`undefined` keeps the request hanging, as a stuck app would).
 */
export class AppServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private port = 0;

  constructor(private readonly answer: (req: ReceivedRequest) => { status: number; body?: string; type?: string } | undefined) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
  }

  static async start(answer: AppServer['answer']): Promise<AppServer> {
    const s = new AppServer(answer);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const received = { path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(received);
    const out = this.answer(received);
    if (!out) return;
    res.writeHead(out.status, { 'content-type': out.type ?? 'application/json' });
    res.end(out.body ?? '');
  }
}
