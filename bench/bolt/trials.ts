import type { PayloadDelivery } from '../../shared/slack-simulator';
import type { BoltPlan } from '../plan';
import { percentile, sleep, trials, type Sample } from '../stats';
import { BENCH_ANSWER, BENCH_COMMAND, BENCH_EVENT } from './bench-listeners';
import type { SimAdmin } from './sim-admin';

export interface BoltTarget {
  appId: string;
  teamId: string;
}

export interface AckTrials {
  sample: Sample;
  /** Acked, but without the listener's payload: a failed trial (counted as timed out). */
  wrongPayload: number;
  max: number | null;
}

export interface RampStep {
  perSecond: number;
  emitted: number;
  /** How long the simulator took to produce them (a busy simulator process stretches it). */
  emitMs: number;
  acked: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  passed: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `plan.ackTrials` slash commands, one every `ackEveryMs` (each is through long before the next),
 * each timed from the simulator producing the envelope to the simulator receiving its ack with
 * the listener's payload. Unacked or acked without the payload within `ackWaitMs`: timed out.
 */
export async function ackTrials(sim: SimAdmin, target: BoltTarget, plan: BoltPlan): Promise<AckTrials> {
  const ids: string[] = [];
  for (let i = 0; i < plan.ackTrials; i++) {
    const command = await sim.post<{ id: string }>('commands', { appId: target.appId, teamId: target.teamId, command: BENCH_COMMAND, text: `trial ${i}` });
    ids.push(command.id);
    await sleep(plan.ackEveryMs);
  }
  const wanted = new Set(ids);
  let mine: PayloadDelivery[];
  const deadline = Date.now() + plan.ackWaitMs;
  do {
    mine = (await sim.deliveries(target.appId)).filter((d) => wanted.has(d.id));
    if (mine.every((d) => d.ackedAt !== undefined)) break;
    await sleep(200);
  } while (Date.now() < deadline);
  const values: number[] = [];
  let wrongPayload = 0;
  for (const d of mine) {
    if (d.ackedAt === undefined || d.createdAt === undefined) continue;
    if (same(d.ackPayload, BENCH_ANSWER)) values.push(d.ackedAt - d.createdAt);
    else wrongPayload += 1;
  }
  return { sample: { values, timedOut: ids.length - values.length }, wrongPayload, max: values.length ? Math.max(...values) : null };
}

/**
 * One step of the load: `perSecond` events for `stepMs`, produced by the simulator, each timed
 * from produced to acked (Bolt acks an event once it reaches the app). Passes when the p99 is
 * under `passP99Ms`; an event not acked `drainMs` after the last was produced counts as slower.
 */
export async function rampStep(sim: SimAdmin, target: BoltTarget, plan: BoltPlan, perSecond: number): Promise<RampStep> {
  const stream = await sim.post<{ emitted: number; envelopeIds: string[]; startedAt: number; endedAt: number }>('events/stream', {
    target, perSecond, durationMs: plan.stepMs, via: ['socket_mode'],
    event: { type: BENCH_EVENT, text: `<@U0BOT> load ${perSecond}/s`, user: 'U0SIMUSER', channel: 'CBENCH' },
  });
  await sleep(plan.drainMs);
  const wanted = new Set(stream.envelopeIds);
  const mine = (await sim.deliveries(target.appId)).filter((d) => wanted.has(d.id));
  const values = mine.flatMap((d) => (d.ackedAt !== undefined && d.createdAt !== undefined ? [d.ackedAt - d.createdAt] : []));
  const sample: Sample = { values, timedOut: stream.envelopeIds.length - values.length };
  const p99 = percentile(sample, 99);
  return {
    perSecond, emitted: trials(sample), emitMs: stream.endedAt - stream.startedAt, acked: values.length,
    p50: percentile(sample, 50), p99, max: values.length ? Math.max(...values) : null,
    passed: p99 !== null && p99 < plan.passP99Ms && trials(sample) > 0,
  };
}

/** The ramp, step by step, until a step fails; `eventsPerSecond` is the highest step that passed. */
export async function ramp(sim: SimAdmin, target: BoltTarget, plan: BoltPlan, log: (m: string) => void): Promise<RampStep[]> {
  const steps: RampStep[] = [];
  for (const perSecond of plan.ramp) {
    const step = await rampStep(sim, target, plan, perSecond);
    steps.push(step);
    log(`${perSecond} events/s: ${step.acked}/${step.emitted} acked, p50 ${step.p50 ?? '—'} ms, p99 ${step.p99 ?? '—'} ms, max ${step.max ?? '—'} ms (produced in ${step.emitMs} ms) ${step.passed ? 'pass' : 'FAIL'}`);
    if (!step.passed) break;
    await sleep(plan.restMs);
  }
  return steps;
}
