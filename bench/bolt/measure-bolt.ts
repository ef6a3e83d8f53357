import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedProcess } from '../embedded/embedded-process';
import type { BoltPlan } from '../plan';
import { percentile, sleep, trials } from '../stats';
import { SimAdmin } from './sim-admin';
import { startSocketModeApp } from './socket-mode-process';
import { ackTrials, ramp, rampStep, type AckTrials, type BoltTarget, type RampStep } from './trials';

export const BOLT_SYSTEMS = ['lifeline', 'boltSocketMode'] as const;
export type BoltSystemName = (typeof BOLT_SYSTEMS)[number];
export const BOLT_METRIC_KEYS = ['ackP50', 'ackP99', 'eventsPerSecond'] as const;
export type BoltMetricKey = (typeof BOLT_METRIC_KEYS)[number];

export type BoltSystemResult = Record<BoltMetricKey, number | null> & {
  trials: Record<BoltMetricKey, number>;
  notes: string[];
  details: { ack: { p50: number | null; p99: number | null; max: number | null; trials: number; failed: number; wrongPayload: number } | null; ramp: RampStep[] };
};

export interface BoltResult {
  plan: BoltPlan;
  lifeline: BoltSystemResult;
  boltSocketMode: BoltSystemResult;
  notes: string[];
}

const LIFELINE_APP = fileURLToPath(new URL(process.env.BENCH_BOLT_APP ?? './lifeline-app.mjs', import.meta.url));
/** `npm start`'s simulated Socket Mode app and its first workspace (functions/embedded/simulated). */
const LIFELINE_TARGET: BoltTarget = { appId: 'A0LIFESM', teamId: 'TSMW0001' };
/** Socket Mode links `npm start` holds for the app (LIFELINE_SM_SLOTS). */
const SLOTS = 2;

/**
 * The same Bolt app on Lifeline (`npm start` with `LIFELINE_BOT`: the bot in its own process,
 * one worker process, the embedded store; simulator mode) and on Bolt's own `SocketModeReceiver`
 * (a process of its own), against the one simulator `npm start` runs, one system at a time.
 */
export async function measureBolt(plan: BoltPlan, log: (message: string) => void = () => undefined): Promise<BoltResult> {
  const notes: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-bench-bolt-'));
  let lifeline: BoltSystemResult = failed('npm start did not come up');
  let boltSocketMode: BoltSystemResult = failed('not measured: npm start did not come up');
  let embedded: EmbeddedProcess | undefined;
  try {
    embedded = await EmbeddedProcess.start({
      LIFELINE_DATA_DIR: dataDir, LIFELINE_BOT: LIFELINE_APP, LIFELINE_WORKERS: '1', LIFELINE_SM_SLOTS: String(SLOTS),
      LIFELINE_SIM_RTM_WORKSPACES: '0', LIFELINE_SIM_SM_WORKSPACES: '1', LIFELINE_SIM_FAULTS: 'off', LIFELINE_LOG_LEVEL: 'warn',
    });
    const status = await embedded.status();
    const sim = new SimAdmin(status!.simulatorUrl!);
    const opened = await embedded.until(async () => (await embedded!.status())?.links.open === SLOTS && (await sim.openNow(LIFELINE_TARGET.appId)) === SLOTS, 120_000);
    if (opened === null) lifeline = failed(`the ${SLOTS} Socket Mode links never all opened`);
    else {
      log(`lifeline: npm start up (pid ${embedded.child.pid}), ${SLOTS} Socket Mode links open`);
      lifeline = await measureSystem('lifeline', sim, LIFELINE_TARGET, plan, log);
    }

    try {
      const app = await sim.post<{ appId: string; appToken: string }>('apps', { socketMode: true, name: 'bench Bolt SocketModeReceiver' });
      const ws = await sim.post<{ teamId: string; botToken: string }>('workspaces', { appId: app.appId, teamName: 'Bolt bench' });
      const bolt = await startSocketModeApp({ slackApiUrl: sim.apiUrl, appToken: app.appToken, botToken: ws.botToken });
      try {
        if ((await embedded.until(async () => (await sim.openNow(app.appId)) >= 1, 30_000)) === null) boltSocketMode = failed('its socket never opened');
        else {
          log(`boltSocketMode: app up (pid ${bolt.pid})`);
          boltSocketMode = await measureSystem('boltSocketMode', sim, { appId: app.appId, teamId: ws.teamId }, plan, log);
        }
      } finally {
        await bolt.stop();
      }
    } catch (error) {
      boltSocketMode = failed(`failed: ${message(error)}`);
    }
  } catch (error) {
    notes.push(`bolt bench failed: ${message(error)}`);
    lifeline = lifeline.notes.length ? lifeline : failed(`failed: ${message(error)}`);
  } finally {
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { plan, lifeline, boltSocketMode, notes };
}

async function measureSystem(name: BoltSystemName, sim: SimAdmin, target: BoltTarget, plan: BoltPlan, log: (m: string) => void): Promise<BoltSystemResult> {
  // Not counted: the first payloads of a fresh process load and compile the code on their path.
  await ackTrials(sim, target, { ...plan, ackTrials: plan.warmupCommands });
  await rampStep(sim, target, { ...plan, stepMs: 500 }, plan.ramp[0] ?? 50);
  await sleep(plan.restMs);
  const acks = await ackTrials(sim, target, plan);
  log(`${name}: ${plan.ackTrials} /ping acks p50 ${percentile(acks.sample, 50) ?? '—'} ms, p99 ${percentile(acks.sample, 99) ?? '—'} ms`);
  await sleep(plan.restMs);
  const steps = await ramp(sim, target, plan, (m) => log(`${name}: ${m}`));
  return systemResult(acks, steps, plan);
}

export function systemResult(acks: AckTrials, steps: RampStep[], plan: BoltPlan): BoltSystemResult {
  const notes: string[] = [];
  const passed = steps.filter((s) => s.passed);
  const best = passed.length ? passed[passed.length - 1]! : undefined;
  const failedAcks = acks.sample.timedOut;
  if (failedAcks > 0) notes.push(`ack: ${failedAcks} of ${trials(acks.sample)} commands got no ack with the listener's payload within ${plan.ackWaitMs} ms (${acks.wrongPayload} acked without it); percentiles that land on them are null`);
  const first = steps[0];
  if (!best) {
    notes.push(first
      ? `eventsPerSecond: no step passed (the lowest, ${first.perSecond} events/s: ${first.acked} of ${first.emitted} acked within ${plan.drainMs} ms of the last, p99 ${first.p99 === null ? 'beyond that' : `${first.p99} ms`}, against the ${plan.passP99Ms} ms bound)`
      : 'eventsPerSecond: the ramp did not run');
  }
  else if (best === steps[steps.length - 1] && steps.length === plan.ramp.length) notes.push(`eventsPerSecond: the top of the ramp (${best.perSecond}/s) passed; the real limit is higher`);
  const ackP50 = percentile(acks.sample, 50);
  const ackP99 = percentile(acks.sample, 99);
  return {
    ackP50, ackP99, eventsPerSecond: best?.perSecond ?? null,
    trials: { ackP50: trials(acks.sample), ackP99: trials(acks.sample), eventsPerSecond: best?.emitted ?? steps[0]?.emitted ?? 0 },
    notes,
    details: { ack: { p50: ackP50, p99: ackP99, max: acks.max, trials: trials(acks.sample), failed: failedAcks, wrongPayload: acks.wrongPayload }, ramp: steps },
  };
}

function failed(why: string): BoltSystemResult {
  return {
    ackP50: null, ackP99: null, eventsPerSecond: null,
    trials: { ackP50: 0, ackP99: 0, eventsPerSecond: 0 },
    notes: [why],
    details: { ack: null, ramp: [] },
  };
}

const message = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
