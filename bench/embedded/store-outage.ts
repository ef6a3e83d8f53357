import { PRODUCTION_WORKER_ENV } from './production-env';
import { silentLogger } from '../../shared/adapters/log';
import { CallbackSink, MemoryConnectQueue, MemoryCredentials, MemoryMetrics } from '../../shared/adapters/memory';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { allLinksIn, applyDetached, rtmLinkId } from '../../shared/app';
import { startSlackSimulator, type CloseRecord, type GroundTruth } from '../../shared/slack-simulator';
import { createEmbeddedWorkflow } from '../../functions/workflow-tasks';
import { startDynalite } from '../../test/support/dynalite';
import { startFaultProxy } from '../../test/support/fault-proxy';
import { createLinkTable, localClient } from '../../test/support/link-tables';
import { forkWorker, type ChildWorker } from '../../test/worker/harness/child-worker';

export interface StoreOutageOptions {
  /** RTM links over two worker processes. Default 1,000. */
  links?: number;
  /** How long the store refuses connections. Default 30,000. */
  outageMs?: number;
  log?: (message: string) => void;
}

export interface StoreOutageResult {
  /**
   * Links Lifeline left without a socket during the outage and its recovery: sockets it closed
   * with no other socket of the link open (the simulator's truth). Target 0.
   */
  storeOutageDroppedSockets: number | null;
  /** Events sent through the outage that never reached the bot. Target 0. */
  storeOutageLostEvents: number | null;
  /** Store back → every link open in the store, once at Slack, and every worker renewing again. Target ≤ 10,000. */
  storeOutageRecoveryMs: number | null;
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether another socket of the closed one's link had said hello and was still open when it closed. */
export function anotherOpenAt(truth: Pick<GroundTruth, 'socketConnects' | 'closes'>, close: CloseRecord): boolean {
  return truth.socketConnects.some((hello) =>
    hello.key === close.key && hello.outcome === 'hello' && hello.socketId !== close.socketId && hello.at <= close.at &&
    !truth.closes.some((other) => other.socketId === hello.socketId && other.at <= close.at));
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(250);
  }
  return null;
}

/**
 * A store outage under the production lease (20 s, heartbeat 5 s): two real worker processes
 * (`functions/worker/main.ts`, embedded mode, as `npm start` forks them) whose store is behind a
 * fault proxy that refuses connections, the simulator, the shipped workflows run locally, and an
 * event to every workspace every second throughout.
 */
export async function measureStoreOutage(options: StoreOutageOptions = {}): Promise<StoreOutageResult> {
  const links = options.links ?? 1_000;
  const outageMs = options.outageMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const sim = await startSlackSimulator({ rateLimits: false, rtm: { writesPerSecond: 20, writeBurst: 40 } });
  const engine = await startDynalite();
  const client = localClient(engine.endpoint);
  const workers: ChildWorker[] = [];
  const proxy = await startFaultProxy(engine.endpoint);
  const workflowHolder: { stop?: () => void } = {};
  try {
    const tableName = await createLinkTable(client);
    const store = new DynamoDbLinkStore({ client, tableName });
    const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 5_000 });
    const credentials = new MemoryCredentials();
    const metrics = new MemoryMetrics();
    const slack = new HttpSlackApi({ apiUrl: sim.apiUrl });
    const taskDeps = { links: store, clock: Date, random: Math.random, slack, credentials, metrics, log: silentLogger };
    const workflow = createEmbeddedWorkflow({ deps: taskDeps, queue, log: silentLogger });
    workflowHolder.stop = () => workflow.stop();
    const received = new Set<string>();
    const sink = CallbackSink.perEvent((event) => void received.add(String((event.payload as { text?: unknown }).text)));
    const host = { tableName, engine, sim, queue, workflow, linkCredentials: credentials, sink };
    const env = { LIFELINE_DYNAMODB_ENDPOINT: proxy.endpoint, ...PRODUCTION_WORKER_ENV };
    for (let i = 0; i < 2; i++) workers.push(await forkWorker(host, env));

    const teams: string[] = [];
    const linkIds: string[] = [];
    const appDeps = { links: store, clock: Date, random: Math.random, queue, workflow, metrics, log: silentLogger };
    for (let i = 0; i < links; i++) {
      const ws = sim.addWorkspace();
      credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
      await applyDetached(appDeps, rtmLinkId(ws.appId, ws.teamId), { type: 'CONNECT' });
      teams.push(ws.teamId);
      linkIds.push(rtmLinkId(ws.appId, ws.teamId));
    }
    const allOpen = async () => {
      if (!teams.every((team) => sim.truth.openNow(team) === 1)) return false;
      // One index query, not a read per link: the poll must not load the store it measures.
      const open = new Set((await allLinksIn(store, ['open'])).map((link) => link.id));
      return linkIds.every((id) => open.has(id));
    };
    const openedIn = await until(allOpen, 600_000);
    if (openedIn === null) {
      notes.push('storeOutage: links never all opened');
      return { storeOutageDroppedSockets: null, storeOutageLostEvents: null, storeOutageRecoveryMs: null, notes };
    }
    log(`store outage: ${links} links open in ${openedIn} ms`);

    const sent: string[] = [];
    let seq = 0;
    const pump = setInterval(() => {
      seq += 1;
      for (const team of teams) {
        const text = `bench-outage-${team}-${seq}`;
        sent.push(text);
        sim.emitEvent(team, { type: 'message', channel: 'CBENCH', text, ts: `1700000000.${String(seq).padStart(6, '0')}` });
      }
    }, 1_000);
    await sleep(2_000);
    const from = Date.now();
    await proxy.set({ kind: 'refuse' });
    log(`store outage: store refusing for ${outageMs} ms`);
    await sleep(outageMs);
    await proxy.set({ kind: 'pass' });
    const recovered = await until(allOpen, 60_000);
    await sleep(2_000);
    clearInterval(pump);
    await until(() => sent.every((text) => received.has(text)), 20_000);
    // A close that left its link without a socket is a drop; the old socket of a make-before-break
    // swap (a rebalance move finishing once the store answers), closed after its successor's
    // hello, is not: the link was served throughout. Swaps are counted in the notes.
    const clientCloses = sim.truth.closes.filter((c) => c.by === 'client' && c.at >= from);
    const droppedCloses = clientCloses.filter((c) => !anotherOpenAt(sim.truth, c));
    const dropped = droppedCloses.length;
    if (clientCloses.length > dropped) notes.push(`storeOutage: ${clientCloses.length - dropped} make-before-break swap(s) closed their old socket after the new one's hello (not drops)`);
    const lost = sent.filter((text) => !received.has(text)).length;
    const exited = workers.filter((w) => w.process.exitCode !== null).length;
    if (exited > 0) notes.push(`storeOutage: ${exited} worker process(es) exited`);
    // When and with which code: enough to tell a fence from a liveness close.
    if (dropped > 0) {
      const byCode = new Map<string, number>();
      for (const c of droppedCloses) {
        const key = `${c.code} at +${Math.round((c.at - from) / 1000)} s`;
        byCode.set(key, (byCode.get(key) ?? 0) + 1);
      }
      notes.push(`storeOutage: links left without a socket (close code at seconds after the outage began: count): ${[...byCode].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    }
    notes.push(`storeOutage: ${links} RTM links, ${outageMs} ms refused, ${sent.length} events sent, production lease 20 s`);
    log(`store outage: dropped ${dropped}, lost ${lost} of ${sent.length}, every link open ${recovered === null ? 'never' : `${recovered} ms`} after the store was back`);
    return { storeOutageDroppedSockets: dropped, storeOutageLostEvents: lost, storeOutageRecoveryMs: recovered, notes };
  } finally {
    for (const w of workers) w.process.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await proxy.close();
    workflowHolder.stop?.();
    await sim.close();
    client.destroy();
    await engine.stop();
  }
}

