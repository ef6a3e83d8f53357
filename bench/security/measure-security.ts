import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '../stats';
import type { FromServerChild, ServerReading, ToServerChild } from './protocol';
import { signSlackBody, uninstallEventBody } from './status-server-rig';

export interface SecurityPlan {
  /** SSE clients that open `/events/stream` and never read. */
  stuckClients: number;
  /** Link transitions fed to the server while they are connected. */
  transitions: number;
  /** Then fed on, up to this many in all, until every stuck feed has been closed: RSS at the bound. */
  maxTransitions: number;
  /** Connections that send headers and a byte of body, then a byte a second. */
  slowBodies: number;
  /** Signed `POST /slack/events` timed while the slow bodies are held. */
  signedEvents: number;
}

export const SECURITY_PLANS: Record<'quick' | 'full', SecurityPlan> = {
  full: { stuckClients: 20, transitions: 10_000, maxTransitions: 100_000, slowBodies: 1_000, signedEvents: 10 },
  quick: { stuckClients: 20, transitions: 2_000, maxTransitions: 30_000, slowBodies: 600, signedEvents: 3 },
};

export interface SecurityResult {
  plan: SecurityPlan;
  /** Server RSS after the transitions minus before (both after forced GCs), MB. Target < 50. */
  sseRssGrowthMb: number | null;
  /** Feeds the server closed because their client was not reading (its buffer passed 1 MiB). */
  sseFeedsClosedStuck: number | null;
  /** Transitions fed in all until every stuck feed was closed (null: not within `maxTransitions`). */
  sseTransitionsToCloseAll: number | null;
  /** RSS growth once every stuck feed was closed (or at `maxTransitions`), MB: the bound at work. */
  sseRssGrowthPastBoundMb: number | null;
  /** Bytes of frames each live feed was sent over the `transitions` (what an unbounded server would hold per stuck client, less what the kernel buffers). */
  sseBytesPerFeed: number | null;
  /** The slowest signed event's answer time during the slow bodies, ms. Target < 1,000. */
  signedEventAnswerMs: number | null;
  signedEventP50Ms: number | null;
  /** Connections the server held when the signed events were sent (the cap evicts the oldest beyond it). */
  connectionsHeld: number | null;
  connectionsEvicted: number | null;
  notes: string[];
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

class ServerChild {
  private readonly waiting: Array<(message: FromServerChild) => void> = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromServerChild) => this.waiting.shift()?.(message));
  }

  static start(): ServerChild {
    return new ServerChild(fork(CHILD, [], { execArgv: ['--expose-gc', '--import', import.meta.resolve('tsx')], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  }

  ask(message: ToServerChild): Promise<FromServerChild> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the server child exited (${code})`));
      this.child.once('exit', onExit);
      this.waiting.push((reply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(reply.error));
        else resolve(reply);
      });
      this.child.send(message);
    });
  }

  async reading(type: 'baseline' | 'measure'): Promise<ServerReading> {
    const reply = await this.ask({ type });
    if (reply.type !== 'reading') throw new Error(`unexpected ${reply.type}`);
    return reply.reading;
  }
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Readings right after start still fall as start-up garbage is returned; take one once two agree within 2 MB. */
async function stableBaseline(server: ServerChild): Promise<ServerReading> {
  let last = await server.reading('baseline');
  for (let i = 0; i < 8; i++) {
    const next = await server.reading('baseline');
    if (Math.abs(next.rss - last.rss) < 2 * 1024 * 1024) return next;
    last = next;
  }
  return last;
}

const opened = (url: URL): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });

/**
 * Issue 12's two numbers for the embedded server, measured on the server as `npm start` builds
 * it (status page, live feed, `/slack/*`; `bench/security/status-server-rig.ts`) in a child
 * process so its RSS is its own: RSS growth with stuck live-feed clients over many transitions,
 * and the answer time of a signed Slack event while slow bodies are held open.
 */
export async function measureSecurity(plan: SecurityPlan, log: (message: string) => void = () => undefined): Promise<SecurityResult> {
  const notes: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-bench-security-'));
  const server = ServerChild.start();
  const sockets: Socket[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];
  try {
    const started = await server.ask({ type: 'start', dataDir });
    if (started.type !== 'started') throw new Error(`unexpected ${started.type}`);
    const url = new URL(started.url);
    const slackUrl = new URL(started.slackUrl);

    // 1. Stuck live-feed clients: each opens the feed, takes the first frame, then never reads again.
    const baseline = await stableBaseline(server);
    for (let i = 0; i < plan.stuckClients; i++) {
      const socket = await opened(url);
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.write(`GET /events/stream HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${started.authorization}\r\n\r\n`);
      await new Promise((resolve) => socket.once('data', resolve));
      socket.pause();
    }
    log(`${plan.stuckClients} stuck live-feed clients; feeding ${plan.transitions} transitions`);
    await server.ask({ type: 'feed', transitions: plan.transitions });
    const loaded = await server.reading('measure');
    const sseRssGrowthMb = mb(loaded.rss - baseline.rss);
    const sseBytesPerFeed = loaded.streams.bytesPerFeed ?? null;
    log(`RSS growth ${sseRssGrowthMb} MB; feeds closed as stuck: ${loaded.streams.closedStuck}`);
    // Loopback kernel buffers take MBs per connection before the server's own buffer grows, so feed on until the bound trips for every stuck feed.
    let fed = plan.transitions;
    let past = loaded;
    while (past.streams.closedStuck < plan.stuckClients && fed < plan.maxTransitions) {
      await server.ask({ type: 'feed', transitions: 5_000 });
      fed += 5_000;
      past = await server.reading('measure');
    }
    const sseTransitionsToCloseAll = past.streams.closedStuck >= plan.stuckClients ? fed : null;
    const sseRssGrowthPastBoundMb = mb(past.rss - baseline.rss);
    log(`after ${fed} transitions: ${past.streams.closedStuck} feeds closed as stuck, RSS growth ${sseRssGrowthPastBoundMb} MB`);
    if (sseTransitionsToCloseAll === null) notes.push(`only ${past.streams.closedStuck} of ${plan.stuckClients} stuck feeds reached the buffer bound within ${plan.maxTransitions} transitions`);
    for (const socket of sockets.splice(0)) socket.destroy();

    // 2. Slow bodies on the Slack listener (the one a tunnel exposes): headers and one byte of a large body, then a byte a second.
    for (let i = 0; i < plan.slowBodies; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, plan.slowBodies - i) }, async () => {
        const socket = await opened(slackUrl);
        sockets.push(socket);
        socket.on('error', () => undefined);
        socket.write(`POST /slack/events HTTP/1.1\r\nHost: ${slackUrl.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
      }));
    }
    timers.push(setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write(' ');
    }, 1_000));
    const during = await server.reading('measure');
    log(`${plan.slowBodies} slow bodies sent; the server holds ${during.http.connectionsOpen} connections (${during.http.connectionsEvicted} evicted)`);
    const times: number[] = [];
    for (let i = 0; i < plan.signedEvents; i++) {
      const body = uninstallEventBody(started.appId, i);
      const t0 = performance.now();
      const res = await fetch(`${started.slackUrl}/slack/events`, { method: 'POST', headers: signSlackBody(started.signingSecret, body), body });
      await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) notes.push(`signed event ${i} answered ${res.status}`);
      else times.push(ms);
    }
    const sample = { values: times, timedOut: plan.signedEvents - times.length };
    const signedEventAnswerMs = times.length === plan.signedEvents ? Math.round(Math.max(...times)) : null;
    if (signedEventAnswerMs === null) notes.push(`${sample.timedOut} of ${plan.signedEvents} signed events were not answered 200`);
    const after = await server.reading('measure');
    log(`signed events answered in ${times.map((t) => Math.round(t)).join(', ')} ms`);
    if (after.http.bodiesTimedOut > 0) notes.push(`${after.http.bodiesTimedOut} slow bodies reached the body deadline during the run`);
    return {
      plan,
      sseRssGrowthMb,
      sseFeedsClosedStuck: loaded.streams.closedStuck,
      sseTransitionsToCloseAll,
      sseRssGrowthPastBoundMb,
      sseBytesPerFeed,
      signedEventAnswerMs,
      signedEventP50Ms: percentile(sample, 50) === null ? null : Math.round(percentile(sample, 50)!),
      connectionsHeld: during.http.connectionsOpen,
      connectionsEvicted: after.http.connectionsEvicted,
      notes,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    for (const socket of sockets) socket.destroy();
    await server.ask({ type: 'stop' }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
