// `npm run bench [-- --quick]`: Lifeline's worker, SocketModeClient and RTMClient against one
// simulator, in one run. Prints a table and writes bench/results.json. See bench/README.md.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startSlackSimulator } from '../shared/slack-simulator';
import { startDynaliteProcess } from './dynalite-server';
import { createLinkTable, localClient } from '../test/support/link-tables';
import { rtmTargets, socketTargets, targetsFor } from './fixtures';
import { measureMemory, type MemoryPlan, type MemoryResult } from './phases/memory';
import { planFor, type Mode } from './plan';
import { quietSlackLoggers } from './quiet-console';
import { formatBolt, formatNotes, formatSecurity, formatTable } from './report/table';
import { boltSection, embeddedSection, lifelineTargets, securitySection, systemResult, type BenchResults, type BoltSection, type EmbeddedSection, type SecuritySection, type SystemResult } from './report/results';
import { measureBolt } from './bolt/measure-bolt';
import { measureEmbedded } from './embedded/measure-embedded';
import { measureSecurity, SECURITY_PLANS } from './security/measure-security';
import { resultProblems } from './report/validate';
import { SystemRun } from './system-run';
import { SYSTEM_PROTOCOLS } from './systems/create-system';
import type { ChildSystemName, SystemName } from './systems/types';
import { TruthWatcher } from './truth-watcher';

const SYSTEMS: SystemName[] = ['lifeline', 'socketModeClient', 'rtmClient'];
// Lifeline first: in quick mode the children overlap the trials, and its cold start leans on
// dynalite in this process, so it goes while this process is least busy.
const MEMORY_ORDER: ChildSystemName[] = ['lifeline', 'rawWs', 'socketModeClient', 'rtmClient'];
/** Lifeline's cold start from nothing (registration included) runs after the others, in a child of its own. */
const FROM_NOTHING = 'lifelineFromNothing';
type MemoryJob = ChildSystemName | typeof FROM_NOTHING;

const t0 = Date.now();
// Other work on the machine slows every system alike but inflates times: recorded with the results.
const loadAtStart = loadavg();
const log = (message: string): void => {
  process.stdout.write(`[bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);
};

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const mode: Mode = process.argv.includes('--quick') ? 'quick' : 'full';
  const outPath = argValue('--out') ?? fileURLToPath(new URL('./results.json', import.meta.url));
  const plan = planFor(mode);
  log(mode === 'quick'
    ? `QUICK mode: ${plan.killed.trials} kill and ${plan.silent.trials.lifeline} black-hole trials, ${plan.refresh.lanes * plan.refresh.cyclesPerLane} refreshes, ${plan.memory.links} links for memory/cold start; systems run concurrently and silent trials are capped at ${plan.silent.timeoutMs / 1000} s, so numbers are indicative only`
    : `FULL mode: ${plan.killed.trials} kill trials, black-hole trials ${JSON.stringify(plan.silent.trials)}, ${plan.refresh.lanes * plan.refresh.cyclesPerLane} refreshes, ${plan.memory.links} links for memory/cold start`);
  const quiet = quietSlackLoggers();
  const sim = await startSlackSimulator({
    rateLimits: false,
    maxTruthRecords: 100_000_000,
    socketMode: { retryDelaysMs: plan.envelopeRetryDelaysMs },
  });
  const engine = await startDynaliteProcess();
  const ddb = localClient(engine.endpoint);
  const newTable = async () => ({ endpoint: engine.endpoint, tableName: await createLinkTable(ddb) });
  const watcher = new TruthWatcher(sim);

  const runs: SystemRun[] = [];
  for (const name of SYSTEMS) runs.push(new SystemRun(name, sim, watcher, plan, name === 'lifeline' ? await newTable() : undefined));
  const unopened = await Promise.all(runs.map((run) => run.start()));
  const startNotes = new Map<SystemName, string[]>(runs.map((run, i) => [run.name, unopened[i] ? [`${unopened[i]} trial links never opened at start`] : []]));
  log(`trial links open: ${runs.map((run) => `${run.name} ${run.lanes.length - (unopened[runs.indexOf(run)] ?? 0)}/${run.lanes.length}`).join(', ')}`);

  const memory = new Map<MemoryJob, { result?: MemoryResult; error?: string }>();
  const memoryTask = runMemory(sim, plan, newTable, memory, mode === 'quick' ? 2 : 1);

  if (plan.concurrentSystems) {
    await Promise.all(runs.map((run) => run.runRefresh()));
    log('refreshes done; waiting for links to be old enough to fault');
    await Promise.all(runs.flatMap((run) => [run.runKilled(), run.runSilent()]));
    log('kill and black-hole trials done');
    await memoryTask;
  } else {
    await memoryTask;
    for (const run of runs) {
      log(`${run.name}: refreshes`);
      await run.runRefresh();
      log(`${run.name}: kill trials`);
      await run.runKilled();
      log(`${run.name}: black-hole trials`);
      await run.runSilent();
    }
  }
  const refreshEvents = await Promise.all(runs.map((run) => run.lostRefreshEvents(30_000)));
  const statuses = runs.map((run) => run.system.status?.());
  await Promise.all(runs.map((run) => run.stop().catch(() => undefined)));
  watcher.stop();
  await sim.close();
  ddb.destroy();
  await engine.stop();
  quiet.restore();

  // Issue 8: the embedded process (npm start) with 5,000 links; minutes, so full mode only.
  let embedded: EmbeddedSection | undefined;
  if (mode === 'full') {
    log('embedded: failover (1,000 links), storm (5,000 links), steady writes (60 s), store outage (1,000 links, 30 s)');
    try {
      embedded = embeddedSection(await measureEmbedded({ log: (m) => log(`embedded: ${m}`) }));
    } catch (error) {
      embedded = embeddedSection({ failoverMs: null, stormMs: null, storm429s: 0, steadyWritesPerMin: null, storeOutageDroppedSockets: null, storeOutageLostEvents: null, storeOutageRecoveryMs: null, rebalanceMs: null, rebalanceGapMs: null, rebalanceLostEvents: null, workers: 2, notes: [`embedded bench failed: ${error instanceof Error ? error.message : String(error)}`] });
    }
  }

  // Issue 12: the embedded server under stuck live-feed clients and slow bodies, in a child of its own.
  let security: SecuritySection;
  log(`security: ${SECURITY_PLANS[mode].stuckClients} stuck live-feed clients, ${SECURITY_PLANS[mode].slowBodies} slow bodies`);
  try {
    security = securitySection(await measureSecurity(SECURITY_PLANS[mode], (m) => log(`security: ${m}`)));
  } catch (error) {
    security = securitySection({
      plan: SECURITY_PLANS[mode], sseRssGrowthMb: null, sseFeedsClosedStuck: null, sseTransitionsToCloseAll: null, sseRssGrowthPastBoundMb: null, sseBytesPerFeed: null,
      signedEventAnswerMs: null, signedEventP50Ms: null, connectionsHeld: null, connectionsEvicted: null,
      notes: [`security bench failed: ${error instanceof Error ? error.message : String(error)}`],
    });
  }

  // Issue 14: the same Bolt app on Lifeline (npm start, LIFELINE_BOT) and on Bolt's SocketModeReceiver.
  let bolt: BoltSection;
  log(`bolt: ${plan.bolt.ackTrials} /ping acks and a ${plan.bolt.ramp.join('/')} events/s ramp per receiver`);
  try {
    bolt = boltSection(await measureBolt(plan.bolt, (m) => log(`bolt: ${m}`)));
  } catch (error) {
    const why = `bolt bench failed: ${error instanceof Error ? error.message : String(error)}`;
    const none = { ackP50: null, ackP99: null, eventsPerSecond: null, trials: { ackP50: 0, ackP99: 0, eventsPerSecond: 0 }, notes: [why], details: { ack: null, ramp: [] } };
    bolt = boltSection({ plan: plan.bolt, lifeline: none, boltSocketMode: none, notes: [why] });
  }

  const raw = memory.get('rawWs')?.result ?? null;
  const rawWsBytesPerLink = raw?.bytesPerLink ?? null;
  const rawNet = raw && !raw.belowNoise ? raw.netOfFreeHeapPerLink : null;
  const rawNote = raw?.belowNoise ? [`rawWsBytesPerLink is null: ${raw.links} raw sockets grow RSS by less than one reading's noise (8 MB)`] : [];
  const systems = {} as Record<SystemName, SystemResult>;
  runs.forEach((run, i) => {
    const mem = memory.get(run.name);
    systems[run.name] = systemResult({
      ...(run.killed ? { killed: run.killed } : {}),
      ...(run.silent ? { silent: run.silent } : {}),
      ...(run.refresh ? { refresh: run.refresh } : {}),
      ...(refreshEvents[i] ? { refreshEvents: refreshEvents[i] } : {}),
      memory: mem?.result ?? null,
      ...(mem?.error ? { memoryError: mem.error } : {}),
      ...(run.name === 'lifeline' ? { fromNothing: fromNothingOf(memory.get(FROM_NOTHING)) } : {}),
      rawWsBytesPerLink,
      protocols: run.protocols,
      ...(statuses[i] ? { status: statuses[i] } : {}),
      notes: [
        ...(startNotes.get(run.name) ?? []), ...systemNotes(run.name, mode, plan.memory.links), ...rawNote,
        ...(rawNet && mem?.result && mem.result.bytesPerLink !== null
          ? [`net of V8's free heap: ${mem.result.netOfFreeHeapPerLink} B/link vs raw ws ${rawNet} B/link (${(mem.result.netOfFreeHeapPerLink / rawNet).toFixed(2)}x; plain RSS: ${rawWsBytesPerLink ? (mem.result.bytesPerLink / rawWsBytesPerLink).toFixed(2) : '—'}x)`]
          : []),
      ],
    });
  });
  const results: BenchResults = {
    mode,
    startedAt: new Date(t0).toISOString(),
    durationMs: Date.now() - t0,
    machine: { node: process.version, cpus: cpus().length, platform: process.platform, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() },
    plan,
    rawWs: raw,
    rawWsBytesPerLink,
    systems,
    targets: lifelineTargets(systems.lifeline, systems),
    ...(embedded ? { embedded } : {}),
    security,
    bolt,
  };
  writeFileSync(outPath, `${JSON.stringify(results, null, 2)}\n`);
  const problems = resultProblems(results);
  if (problems.length > 0) process.stdout.write(`\nresults.json is incomplete:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
  process.stdout.write(`\n${formatTable(results)}\n\nNotes:\n${formatNotes(results)}\n`);
  if (embedded) {
    process.stdout.write(`\nEmbedded (npm start, ${embedded.workers} workers):\n${Object.entries(embedded.targets).map(([k, t]) => `  ${k.padEnd(20)} ${String(t.value ?? 'null').padStart(8)}  target ${t.target}  ${t.met === null ? '—' : t.met ? 'met' : 'MISSED'}`).join('\n')}\n  storm 429s: ${embedded.storm429s}${embedded.notes.length ? `\n  notes: ${embedded.notes.join('; ')}` : ''}\n`);
  } else {
    process.stdout.write('\nEmbedded failoverMs / stormMs / steadyWritesPerMin run in full mode only (npm run bench).\n');
  }
  process.stdout.write(`\nSecurity (the embedded server under stuck live-feed clients and slow bodies${mode === 'quick' ? '; quick: fewer transitions and slow bodies' : ''}):\n${formatSecurity(security)}\n`);
  process.stdout.write(`\nBolt (the same Bolt app on Lifeline, npm start with LIFELINE_BOT and one worker, and on Bolt's own SocketModeReceiver; times from the simulator's truth${mode === 'quick' ? '; quick: 10 acks, a 50/100 events/s ramp' : ''}):\n${formatBolt(bolt)}\n`);
  process.stdout.write(`\nraw ws baseline: ${rawWsBytesPerLink ?? '—'} bytes per link at ${raw?.links ?? 0} links; peer log lines suppressed: ${quiet.dropped()}\n`);
  const load = (l: number[]): string => l.map((v) => v.toFixed(1)).join(' / ');
  process.stdout.write(`load average (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(loadavg())} on ${cpus().length} cores${loadAtStart[0]! > cpus().length ? ': the machine was busy with other work, which inflates every time measured' : ''}\n`);
  log(`wrote ${outPath}`);
}

/** Each system's memory and cold start in its own child, `parallel` at a time, each on its own fresh links. */
async function runMemory(
  sim: Awaited<ReturnType<typeof startSlackSimulator>>,
  plan: ReturnType<typeof planFor>,
  newTable: () => Promise<{ endpoint: string; tableName: string }>,
  out: Map<MemoryJob, { result?: MemoryResult; error?: string }>,
  parallel: number,
): Promise<void> {
  const queue: MemoryJob[] = [...MEMORY_ORDER, FROM_NOTHING];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const fromNothing = job === FROM_NOTHING;
      const name: ChildSystemName = job === FROM_NOTHING ? 'lifeline' : job;
      const protocols = SYSTEM_PROTOCOLS[name];
      const memoryPlan: MemoryPlan = {
        system: name,
        targets: targetsFor(sim, protocols, plan.memory.links),
        warmTargets: protocols.length === 1
          ? (protocols[0] === 'rtm' ? rtmTargets(sim, plan.memory.warmLinks) : socketTargets(sim, plan.memory.warmLinks))
          : targetsFor(sim, protocols, plan.memory.warmLinks),
        ...(name === 'lifeline' ? { tables: { warm: await newTable(), main: await newTable() } } : {}),
        settleMs: plan.memory.settleMs,
        openTimeoutMs: plan.memory.openTimeoutMs,
        fromNothing,
      };
      try {
        const result = await measureMemory(sim, memoryPlan);
        out.set(job, { result });
        log(`memory ${job}: ${result.bytesPerLink ?? '—'} bytes/link, cold start${fromNothing ? ' from nothing' : ''} ${result.coldStartMs ?? '—'} ms (${result.opened}/${result.links} open)`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
        out.set(job, { error: message });
        log(`memory ${job} failed: ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function fromNothingOf(job: { result?: MemoryResult; error?: string } | undefined): { result: MemoryResult | null; error?: string } {
  return { result: job?.result ?? null, ...(job?.error ? { error: job.error } : {}) };
}

function systemNotes(name: SystemName, mode: Mode, memoryLinks: number): string[] {
  const notes: string[] = [];
  if (mode === 'quick') notes.push(`quick mode: coldStart5000Ms${name === 'lifeline' ? ' and coldStartFromNothing5000Ms are' : ' is'} the time to open ${memoryLinks} links, not 5,000`);
  if (name === 'lifeline') notes.push('links are half RTM, half Socket Mode; percentiles pool both (details.* has each protocol)');
  if (name === 'rtmClient') notes.push('RTM carries no envelopes: refreshLostEnvelopes counts RTM events sent during refreshes that never reached the handler');
  if (name === 'lifeline') notes.push('refreshLostEnvelopes counts RTM events and Socket Mode envelopes together');
  return notes;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
