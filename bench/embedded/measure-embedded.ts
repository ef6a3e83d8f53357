import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedProcess } from './embedded-process';
import { measureRebalance, type RebalanceResult } from './rebalance';
import { measureStoreOutage, type StoreOutageResult } from './store-outage';
import { stormOn } from './storm';

export interface EmbeddedBenchOptions {
  /** Simulated RTM links for the storm and steady phases. Default 5,000. */
  links?: number;
  /** Links the killed worker holds in the failover phase (the system runs twice this many over 2 workers). Default 1,000. */
  failoverLinks?: number;
  /** Idle window for `steadyWritesPerMin`. Default 60,000. */
  steadyWindowMs?: number;
  /** Worker lease. Default: the embedded default (20,000, heartbeat 5,000), which steadyWritesPerMin is a target for. */
  leaseMs?: number;
  /** Links and length of the store outage (`store-outage.ts`). Defaults 1,000 and 30,000. */
  outageLinks?: number;
  outageMs?: number;
  /** Links each of the first two workers holds before a third joins (`rebalance.ts`). Default 2,500. */
  rebalanceLinksPerWorker?: number;
  log?: (message: string) => void;
}

export interface EmbeddedBenchResult extends Omit<StoreOutageResult, 'notes'>, Omit<RebalanceResult, 'notes'> {
  /** SIGKILL of a worker holding `failoverLinks` links → every one of them open on another worker. Target ≤ 20,000. */
  failoverMs: number | null;
  /** Simulator restart with `links` links → all open again. Target ≤ 60,000, with `storm429s` = 0. */
  stormMs: number | null;
  storm429s: number;
  /** Store item writes per minute with every link open and idle. Target ≤ 15 × workers. */
  steadyWritesPerMin: number | null;
  workers: number;
  notes: string[];
}

const WORKERS = 2;

/**
 * The embedded mode as a user runs it (`functions/embedded/main.ts`, simulator mode, faults off,
 * rate limits on as on Slack), measured only through its HTTP API and the simulator's ground truth.
 */
export async function measureEmbedded(options: EmbeddedBenchOptions = {}): Promise<EmbeddedBenchResult> {
  const links = options.links ?? 5_000;
  const failoverLinks = options.failoverLinks ?? 1_000;
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const base = { LIFELINE_SIM_SM_WORKSPACES: '0', LIFELINE_SIM_FAULTS: 'off', LIFELINE_WORKERS: String(WORKERS), LIFELINE_LOG_LEVEL: 'warn', ...(options.leaseMs ? { LIFELINE_LEASE_MS: String(options.leaseMs) } : {}) };
  const allOpen = (system: EmbeddedProcess, n: number) => async () => (await system.status())?.links.open === n;

  // Failover: 2 × failoverLinks links over two workers; kill the one holding the most.
  let failoverMs: number | null = null;
  const failDir = mkdtempSync(join(tmpdir(), 'lifeline-bench-failover-'));
  const failover = await EmbeddedProcess.start({ ...base, LIFELINE_DATA_DIR: failDir, LIFELINE_SIM_RTM_WORKSPACES: String(failoverLinks * 2) });
  try {
    if ((await failover.until(allOpen(failover, failoverLinks * 2), 300_000)) === null) notes.push('failover: links never all opened');
    else {
      const workers = (await failover.status())!.workers;
      const victim = [...workers].sort((a, b) => (b.linkCount ?? 0) - (a.linkCount ?? 0))[0]!;
      const held = new Set((await failover.links()).filter((l) => l.owner === victim.workerId).map((l) => l.id));
      log(`failover: SIGKILL ${victim.workerId} holding ${held.size} links`);
      process.kill(victim.pid!, 'SIGKILL');
      failoverMs = await failover.until(async () => (await failover.links()).filter((l) => held.has(l.id)).every((l) => l.state === 'open' && l.owner !== victim.workerId), 120_000);
      notes.push(`failover: the killed worker held ${held.size} links`);
    }
  } finally {
    await failover.stop();
    rmSync(failDir, { recursive: true, force: true });
  }

  // Steady state and storm on `links` links.
  let steadyWritesPerMin: number | null = null;
  let stormMs: number | null = null;
  let storm429s = 0;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-storm-'));
  const system = await EmbeddedProcess.start({ ...base, LIFELINE_DATA_DIR: dir, LIFELINE_SIM_RTM_WORKSPACES: String(links) });
  try {
    if ((await system.until(allOpen(system, links), 600_000)) === null) notes.push('steady/storm: links never all opened');
    else {
      const windowMs = options.steadyWindowMs ?? 60_000;
      const before = (await system.status())!.storeWrites;
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      steadyWritesPerMin = (((await system.status())!.storeWrites - before) * 60_000) / windowMs;
      log(`steady: ${steadyWritesPerMin} writes/min with ${links} idle links`);
      ({ stormMs, storm429s } = await stormOn(system, links)); // `storm.ts` runs it alone, with who called Slack
      log(`storm: ${stormMs} ms, ${storm429s} × 429`);
    }
  } finally {
    await system.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // Store outage: two worker processes behind a fault proxy, events flowing, the production lease.
  let outage: StoreOutageResult;
  try {
    outage = await measureStoreOutage({ links: options.outageLinks ?? 1_000, outageMs: options.outageMs ?? 30_000, log });
  } catch (error) {
    outage = { storeOutageDroppedSockets: null, storeOutageLostEvents: null, storeOutageRecoveryMs: null, notes: [`storeOutage failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  notes.push(...outage.notes);
  const { notes: _outageNotes, ...outageFigures } = outage;
  // Rebalancing: a third worker process joins two holding 2 × 2,500 links, events flowing.
  const rebalance = await measureRebalance({ linksPerWorker: options.rebalanceLinksPerWorker ?? 2_500, log });
  notes.push(...rebalance.notes);
  const { notes: _rebalanceNotes, ...rebalanceFigures } = rebalance;
  return { failoverMs, stormMs, storm429s, steadyWritesPerMin, ...outageFigures, ...rebalanceFigures, workers: WORKERS, notes };
}
