import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { registerSecrets } from '../../support/log-capture';

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

/** A POST to the simulator's own admin routes (`/_sim/*`), as JSON (they refuse anything else). */
export async function simPost(simulatorUrl: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${simulatorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * `npm start` as a user runs it, in its own process group so Ctrl-C reaches every process. It
 * talks to the operator port as the CLI does: with this run's token from the data dir.
 */
export class NpmStart {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly spawnedAt = Date.now();
  /** This run's operator token, read from `<data dir>/operator-token` once the server answers. */
  token = '';

  private constructor(readonly child: ChildProcess, readonly url: string, readonly dataDir: string) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `env` must name LIFELINE_DATA_DIR (the token is read from it). `port` reuses a port, e.g. for a restart. */
  static async start(env: Record<string, string>, port?: number): Promise<NpmStart> {
    const dataDir = env.LIFELINE_DATA_DIR;
    if (!dataDir) throw new Error('NpmStart needs LIFELINE_DATA_DIR');
    const chosen = port ?? (await freePort());
    const child = spawn('npm', ['start'], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: String(chosen), LIFELINE_SLACK_PORT: '0', ...env },
    });
    const running = new NpmStart(child, `http://127.0.0.1:${chosen}`, dataDir);
    await running.waitFor(async () => running.printed().signIn !== undefined, 90_000, 'the printed sign-in URL');
    running.token = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim();
    registerSecrets(running.token);
    await running.waitFor(async () => (await running.status()) !== undefined, 30_000, 'the status page to answer');
    return running;
  }

  /** What `npm start` printed: the URL to open once (with ?token=), and the Slack listener. */
  printed(): { signIn?: string; slackUrl?: string } {
    const text = this.output.join('');
    const signIn = /(http:\/\/localhost:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];
    const slackUrl = /Slack:\s+(http:\/\/localhost:\d+)\/slack\/install/.exec(text)?.[1];
    return { ...(signIn ? { signIn } : {}), ...(slackUrl ? { slackUrl } : {}) };
  }

  get slackUrl(): string {
    const url = this.printed().slackUrl;
    if (!url) throw new Error('npm start printed no Slack URL');
    return url;
  }

  /** A request to the operator port with the bearer token (what the CLI and scripts do). */
  operator(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { ...init, headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string> | undefined) } });
  }

  async status(): Promise<StatusJson | undefined> {
    try {
      const res = await this.operator('/status.json');
      return res.ok ? ((await res.json()) as StatusJson) : undefined;
    } catch {
      return undefined;
    }
  }

  async links(): Promise<LinkRowJson[]> {
    const res = await this.operator('/api/links');
    if (!res.ok) throw new Error(`/api/links answered ${res.status}`);
    return ((await res.json()) as { links: LinkRowJson[] }).links;
  }

  /** Every link's state, attempt and owner: what an attack must leave as it was. */
  async linkStates(): Promise<Record<string, string>> {
    return Object.fromEntries((await this.links()).map((l) => [l.id, `${l.state}/${l.attempt}/${l.owner ?? ''}`]));
  }

  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`npm start exited while waiting for ${what}:\n${this.shownOutput()}`);
      if (await check()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const status = await this.status();
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last status ${JSON.stringify(status)}\n${this.shownOutput().slice(-3000)}`);
  }

  /** The output with the token taken out, for failure messages (the log scan must not find it). */
  shownOutput(): string {
    const text = this.output.join('');
    return this.token ? text.split(this.token).join('<operator token>') : text.replace(/\?token=[A-Za-z0-9_-]+/g, '?token=<operator token>');
  }

  /** Ctrl-C: SIGINT to the whole process group, as a terminal sends it; resolves once npm is gone. */
  async interrupt(): Promise<string> {
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(-this.child.pid, 'SIGINT');
    await this.exited;
    return this.shownOutput();
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
