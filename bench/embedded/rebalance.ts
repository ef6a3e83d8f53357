// `npx tsx bench/embedded/rebalance.ts [--quick]`: the rebalancing figures alone (quick: 2 × 250 links).
import { PRODUCTION_WORKER_ENV } from './production-env';
import { pathToFileURL } from 'node:url';
import { allLinksIn } from '../../shared/app';
import type { ChildWorker } from '../../test/worker/harness/child-worker';
import { World } from '../../test/worker/harness/world';
import { socketCoverage } from '../../test/support/socket-coverage';

export interface RebalanceOptions {
  /** RTM links each of the first two workers holds before the third joins. Default 2,500. */
  linksPerWorker?: number;
  log?: (message: string) => void;
}

export interface RebalanceResult {
  /** A third worker joins two holding `linksPerWorker` each → every worker within ±10 % of a third, each team on one socket. */
  rebalanceMs: number | null;
  /** The longest time any link had no open socket meanwhile (the simulator's hello/close records). Target 0. */
  rebalanceGapMs: number | null;
  /** Events sent to the moving links throughout that never reached the bot. Target 0. */
  rebalanceLostEvents: number | null;
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 1_000): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(everyMs);
  }
  return null;
}

/**
 * Real worker processes (`functions/worker/main.ts`, embedded mode) with the production lease,
 * liveness and rebalancing defaults (600 moves a minute per worker), the simulator, the shipped
 * workflows, and an event to 50 teams a second throughout.
 */
export async function measureRebalance(options: RebalanceOptions = {}): Promise<RebalanceResult> {
  const perWorker = options.linksPerWorker ?? 2_500;
  const total = perWorker * 2;
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const world = await World.start({ simulator: { maxTruthRecords: 2_000_000 } });
  const env = { ...PRODUCTION_WORKER_ENV };
  let pump: ReturnType<typeof setInterval> | undefined;
  const none = (note: string): RebalanceResult => ({ rebalanceMs: null, rebalanceGapMs: null, rebalanceLostEvents: null, notes: [...notes, note] });
  try {
    const first = [await world.forkWorker(env), await world.forkWorker(env)];
    const teams: string[] = [];
    // Added 8 at a time: one after another, 5,000 links took minutes before anything was measured.
    let added = 0;
    const addedFrom = Date.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (added < total) {
        added += 1;
        teams.push((await world.addRtmLink()).teamId);
      }
    }));
    log(`rebalance: ${total} links added in ${Date.now() - addedFrom} ms`);
    const owned = async () => {
      const counts = new Map<string, number>();
      for (const link of await allLinksIn(world.links, ['open'])) if (link.owner) counts.set(link.owner, (counts.get(link.owner) ?? 0) + 1);
      return counts;
    };
    const even = (workers: ChildWorker[]) => async () => {
      const counts = await owned();
      const share = total / workers.length;
      return [...counts.values()].reduce((a, b) => a + b, 0) === total && workers.every((w) => Math.abs((counts.get(w.workerId) ?? 0) - share) <= share * 0.1);
    };
    const everyTeamOnce = () => teams.every((team) => world.sim.truth.openNow(team) === 1);
    const opened = await until(async () => everyTeamOnce() && (await even(first)()), 600_000);
    if (opened === null) return none(`rebalance: ${total} links never all open and even on two workers`);
    log(`rebalance: ${total} links open on two workers in ${opened} ms`);

    const sent: string[] = [];
    const received = new Map<string, number>();
    world.sinkAnswer = (event) => {
      const text = (event.payload as { text?: unknown }).text;
      if (typeof text === 'string') received.set(text, (received.get(text) ?? 0) + 1);
    };
    let seq = 0;
    pump = setInterval(() => {
      for (let i = 0; i < 5; i++) {
        seq += 1;
        const text = `bench-rebalance-${seq}`;
        sent.push(text);
        world.sim.emitEvent(teams[seq % teams.length] as string, { type: 'message', channel: 'CBENCH', text, ts: `1700000000.${String(seq).padStart(6, '0')}` });
      }
    }, 100);
    await sleep(2_000);

    const joinedAt = Date.now();
    const third = await world.forkWorker(env);
    const rebalanceMs = await until(async () => everyTeamOnce() && (await even([...first, third])()), 900_000);
    const endedAt = Date.now();
    await sleep(2_000);
    clearInterval(pump);
    pump = undefined;
    await until(() => sent.every((text) => received.has(text)), 30_000, 250);
    const coverage = socketCoverage(world.sim.truth, teams, joinedAt, endedAt);
    const lost = sent.filter((text) => !received.has(text)).length;
    const doubled = [...received.values()].filter((n) => n > 1).length;
    const moved = [...coverage.swaps.values()].reduce((a, b) => a + b, 0);
    const counts = Object.fromEntries(await owned());
    notes.push(`rebalance: 2 × ${perWorker} RTM links, a third worker joined; ${moved} links moved (${Math.max(0, ...coverage.swaps.values())} at most per link), longest two-socket overlap ${coverage.longestOverlapMs} ms, ${sent.length} events sent, ${doubled} delivered twice, counts ${JSON.stringify(counts)}; production lease and liveness, 600 moves a minute per worker`);
    if (rebalanceMs === null) notes.push('rebalance: never even within ±10 % in 15 minutes');
    log(`rebalance: even in ${rebalanceMs} ms, gap ${coverage.longestGapMs} ms, lost ${lost}, doubled ${doubled}`);
    return { rebalanceMs, rebalanceGapMs: coverage.longestGapMs, rebalanceLostEvents: lost, notes };
  } catch (error) {
    return none(`rebalance failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (pump) clearInterval(pump);
    for (const child of world.children) child.process.kill('SIGKILL');
    await Promise.all(world.children.map((child) => child.exited));
    world.workflow.stop();
    await world.workflow.idle();
    await world.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const result = await measureRebalance({ ...(quick ? { linksPerWorker: 250 } : {}), log: (m) => console.log(`[rebalance bench] ${m}`) });
  console.log(JSON.stringify(result, null, 2));
}
