import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../support/free-port';

export interface StatusJson {
  links: Record<'open' | 'connecting' | 'backoff' | 'inactive' | 'revoked', number>;
  workers: { workerId: string; pid: number | null; state: string; linkCount?: number }[];
  mode: string;
  eventsDelivered: number;
  simulatorUrl?: string;
}

export interface LinkRowJson {
  id: string;
  state: string;
  owner?: string;
  teamId?: string;
  attempt: number;
}

/** `npm start` as a user runs it, in its own process group so Ctrl-C reaches every process. */
export class NpmStart {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly spawnedAt = Date.now();

  private constructor(readonly child: ChildProcess, readonly url: string) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>): Promise<NpmStart> {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: String(port), ...env },
    });
    const running = new NpmStart(child, `http://127.0.0.1:${port}`);
    await running.waitFor(async () => (await running.status()) !== undefined, 90_000, 'the status page to answer');
    return running;
  }

  async status(): Promise<StatusJson | undefined> {
    try {
      const res = await fetch(`${this.url}/status.json`);
      return res.ok ? ((await res.json()) as StatusJson) : undefined;
    } catch {
      return undefined;
    }
  }

  async links(): Promise<LinkRowJson[]> {
    const res = await fetch(`${this.url}/api/links`);
    return ((await res.json()) as { links: LinkRowJson[] }).links;
  }

  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`npm start exited while waiting for ${what}:\n${this.output.join('')}`);
      if (await check()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const status = await this.status();
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last status ${JSON.stringify(status)}\n${this.output.join('').slice(-3000)}`);
  }

  /** Ctrl-C: SIGINT to the whole process group, as a terminal sends it; resolves once npm is gone. */
  async interrupt(): Promise<string> {
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(-this.child.pid, 'SIGINT');
    await this.exited;
    return this.output.join('');
  }

  /** Cleanup after a failed test: nothing of this run may outlive it. */
  kill(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
