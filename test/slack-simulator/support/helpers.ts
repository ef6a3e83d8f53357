import WebSocket from 'ws';
import type { SlackSimulator } from '../../../shared/slack-simulator';

export type Frame = Record<string, unknown>;

/** A raw `ws` client that records every frame, ping and the close, to assert what a client observes. */
export class RawClient {
  readonly frames: Frame[] = [];
  readonly pings: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    ws.on('ping', (data) => {
      this.pings.push(data.toString());
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
  }

  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Resolves with the first frame (already received or future) that matches. */
  frame(match: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    return this.until(() => this.frames.find(match), timeoutMs, 'frame');
  }

  /**
   * A WebSocket ping answered by the server: every frame the server wrote to this socket before it
   * read the ping has arrived once this resolves (one TCP stream, in order). The barrier for
   * "nothing was sent", instead of waiting a while.
   */
  roundTrip(timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a pong')), timeoutMs);
      this.ws.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.ping();
    });
  }

  closeEvent(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, timeoutMs, 'close');
  }

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const v = probe();
        if (v === undefined) return false;
        clearTimeout(timer);
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`)), timeoutMs);
      if (check()) return;
      const waiter = (): void => {
        if (!check()) this.waiters.push(waiter);
      };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

export interface ApiReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls a Web API method with a form body (default), a JSON body, Bearer or form token. */
export async function callApi(sim: SlackSimulator, method: string, args: Record<string, string> = {},
  opts: { bearer?: string; json?: boolean; basic?: [string, string] } = {}): Promise<ApiReply> {
  const headers: Record<string, string> = {
    'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.basic) headers.authorization = `Basic ${Buffer.from(`${opts.basic[0]}:${opts.basic[1]}`).toString('base64')}`;
  const res = await fetch(`${sim.apiUrl}${method}`, {
    method: 'POST', headers, body: opts.json ? JSON.stringify(args) : new URLSearchParams(args).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** rtm.connect + open the socket. */
export async function openRtm(sim: SlackSimulator, token: string): Promise<RawClient> {
  const r = await callApi(sim, 'rtm.connect', {}, { bearer: token });
  if (r.body.ok !== true) throw new Error(`rtm.connect failed: ${String(r.body.error)}`);
  return RawClient.open(String(r.body.url));
}

/** apps.connections.open + open the socket. */
export async function openSocketMode(sim: SlackSimulator, appToken: string, suffix = ''): Promise<RawClient> {
  const r = await callApi(sim, 'apps.connections.open', {}, { bearer: appToken });
  if (r.body.ok !== true) throw new Error(`apps.connections.open failed: ${String(r.body.error)}`);
  return RawClient.open(`${String(r.body.url)}${suffix}`);
}

/** The tests' one wait (`test/support/wait-for.ts`), re-exported for the simulator tests' imports. */
export { eventually } from '../../support/wait-for';

export const isType = (type: string) => (f: Frame): boolean => f.type === type;
