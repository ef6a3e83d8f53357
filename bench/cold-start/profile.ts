// `npx tsx bench/cold-start/profile.ts [links=5000]`: where Lifeline's cold start from nothing
// goes. The simulator here, dynalite in a process that counts every request, the Lifeline
// column's system in a child of its own. Prints, from the start: when the Slack calls and the
// socket opens happened (simulator truth), what the store served per operation and item kind
// (counts per link, when, how long each waited in dynalite), and each process's CPU.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSlackSimulator } from '../../shared/slack-simulator';
import { createLinkTable, localClient } from '../../test/support/link-tables';
import { targetsFor } from '../fixtures';
import { sleep } from '../stats';
import type { StoreReport } from './store-process';
import type { ToWorkerChild } from './worker-child';

const links = Number(process.argv[2] ?? 5_000);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

type Reply = { type: string; [key: string]: unknown };
function channel(child: ChildProcess) {
  const inbox: Reply[] = [];
  child.on('message', (m: Reply) => inbox.push(m));
  return async (type: string, timeoutMs = 300_000): Promise<Reply> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type || m.type === 'failed');
      if (i >= 0) {
        const [m] = inbox.splice(i, 1) as [Reply];
        if (m.type === 'failed') throw new Error(String(m.error));
        return m;
      }
      if (performance.now() > deadline) throw new Error(`no ${type}`);
      await sleep(5);
    }
  };
}

const sim = await startSlackSimulator({ rateLimits: false });
const store = fork(here('./store-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const endpoint = await new Promise<string>((resolve) => store.once('message', (m: { endpoint: string }) => resolve(m.endpoint)));
const fromStore = channel(store);
const ddb = localClient(endpoint);
const worker = fork(here('./worker-child.ts'), [], { execArgv: ['--import', 'tsx', ...(process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF}`] : [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const fromWorker = channel(worker);
const send = (message: ToWorkerChild) => worker.send(message);
await fromWorker('ready');

const warmTargets = targetsFor(sim, ['rtm', 'socket'], 20);
send({ type: 'warm', apiUrl: sim.apiUrl, dynamo: { endpoint, tableName: await createLinkTable(ddb) }, targets: warmTargets });
await fromWorker('warmed');
const targets = targetsFor(sim, ['rtm', 'socket'], links);
const keys = new Set(targets.map((t) => t.key));
const tableName = await createLinkTable(ddb);
send({ type: 'prepare', apiUrl: sim.apiUrl, dynamo: { endpoint, tableName } });
await fromWorker('prepared');
store.send({ type: 'reset' });
await fromStore('reset');
const callsBefore = sim.truth.apiCalls.length;
const connectsBefore = sim.truth.socketConnects.length;
const simCpu = process.cpuUsage();
const t0 = Date.now();
const p0 = performance.now();
send({ type: 'go', targets });

const openCount = () => targets.reduce((n, t) => n + Math.min(1, sim.truth.openNow(t.key)), 0);
while (openCount() < links && performance.now() - p0 < 180_000) await sleep(10);
const allOpenMs = Math.round(performance.now() - p0);
const simCpuAtOpen = process.cpuUsage(simCpu);
send({ type: 'report' });
const atOpen = await fromWorker('report');
store.send({ type: 'report' });
const storeAtOpen = (await fromStore('report')).report as StoreReport;
// Then until every OPENED is written (the system at rest).
for (;;) {
  send({ type: 'report' });
  const r = await fromWorker('report');
  if (r.settled || performance.now() - p0 > 240_000) break;
  await sleep(100);
}
store.send({ type: 'report' });
const storeAfter = (await fromStore('report')).report as StoreReport;

const q = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))];
const spread = (ats: number[]) => {
  const s = ats.map((a) => a - t0).sort((a, b) => a - b);
  return { n: s.length, first: s[0], p10: q(s, 0.1), p50: q(s, 0.5), p90: q(s, 0.9), last: s[s.length - 1] };
};
const calls = sim.truth.apiCalls.slice(callsBefore).filter((c) => keys.has(c.teamId ?? '') || keys.has(c.appId ?? ''));
const hellos = sim.truth.socketConnects.slice(connectsBefore).filter((c) => keys.has(c.key) && c.outcome === 'hello');
const byMethod = new Map<string, number[]>();
for (const c of calls) byMethod.set(c.method, [...(byMethod.get(c.method) ?? []), c.at]);
const perLink = (r: StoreReport) => Object.fromEntries(Object.entries(r.ops).map(([k, v]) => [k, { ...v, perLink: +(v.count / links).toFixed(2) }]));
process.stdout.write(`${JSON.stringify({
  links,
  allOpenMs,
  slackCalls: Object.fromEntries([...byMethod].map(([m, ats]) => [m, spread(ats)])),
  hellos: spread(hellos.map((h) => h.at)),
  storeUntilAllOpen: perLink(storeAtOpen),
  storeAfterUntilSettled: perLink(storeAfter),
  cpuMsUntilAllOpen: { worker: atOpen.cpuMs, store: storeAtOpen.cpuMs, simulatorAndDriver: Math.round((simCpuAtOpen.user + simCpuAtOpen.system) / 1_000) },
  workerStatus: atOpen.status,
}, null, 1)}\n`);
send({ type: 'stop' });
await new Promise((resolve) => worker.once('exit', resolve));
store.disconnect();
ddb.destroy();
await sim.close();
