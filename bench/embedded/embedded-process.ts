import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LinkStateName } from '../../shared/domain';

export interface EmbeddedStatus {
  links: Record<LinkStateName, number>;
  workers: { workerId: string; pid: number | null; linkCount?: number }[];
  simulatorUrl?: string;
  storeWrites: number;
}

const MAIN = fileURLToPath(new URL('../../functions/embedded/main.ts', import.meta.url));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/**
 * `npm start`'s entry point in its own process group, driven only through its HTTP API, with
 * the operator token it writes to its data dir (as the CLI does).
 */
export class EmbeddedProcess {
  private constructor(readonly child: ChildProcess, readonly url: string, private readonly tokenPath: string) {}

  static async start(env: Record<string, string>): Promise<EmbeddedProcess> {
    const port = await freePort();
    if (!env.LIFELINE_DATA_DIR) throw new Error('EmbeddedProcess needs LIFELINE_DATA_DIR (the operator token is read from it)');
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN], { detached: true, stdio: 'ignore', env: { ...process.env, PORT: String(port), LIFELINE_SLACK_PORT: '0', ...env } });
    const running = new EmbeddedProcess(child, `http://127.0.0.1:${port}`, join(env.LIFELINE_DATA_DIR, 'operator-token'));
    await running.until(async () => (await running.status()) !== undefined, 300_000);
    return running;
  }

  async status(): Promise<EmbeddedStatus | undefined> {
    try {
      const res = await fetch(`${this.url}/status.json`, { headers: this.auth() });
      return res.ok ? ((await res.json()) as EmbeddedStatus) : undefined;
    } catch {
      return undefined;
    }
  }

  async links(): Promise<{ id: string; state: string; owner?: string }[]> {
    return ((await (await fetch(`${this.url}/api/links`, { headers: this.auth() })).json()) as { links: { id: string; state: string; owner?: string }[] }).links;
  }

  private auth(): Record<string, string> {
    try {
      return { authorization: `Bearer ${readFileSync(this.tokenPath, 'utf8').trim()}` };
    } catch {
      return {}; // not written yet: the process is still starting
    }
  }

  /** Polls every 100 ms; returns the time it took, or null on timeout. */
  async until(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error('the embedded process exited');
      if (await check()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  }

  async stop(): Promise<void> {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(-this.child.pid, 'SIGINT');
    await exited;
  }
}
