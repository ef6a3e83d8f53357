import { DEFAULT_POLICY } from '../shared/domain';
import type { SystemName } from './systems/types';

export type Mode = 'quick' | 'full';

/** Every count and window of a run, in one place, printed with the results. */
export interface BenchPlan {
  mode: Mode;
  /** Quick runs every system's phases at once to fit in a minute; full runs them one system at a time. */
  concurrentSystems: boolean;
  killed: { trials: number; staggerMs: number; timeoutMs: number };
  silent: { trials: Record<SystemName, number>; staggerMs: number; timeoutMs: number };
  refresh: { lanes: number; cyclesPerLane: number; warningLeadMs: number; emitEveryMs: number; timeoutMs: number; settleEventsMs: number };
  memory: { links: number; warmLinks: number; settleMs: number; openTimeoutMs: number };
  /**
   * Links are faulted only after their socket has been open this long: Lifeline's machine treats
   * a drop within `stableOpenMs` (30 s) of opening as a flap and backs off. Real links live for
   * hours, so the bench measures the healthy-link path, for every system alike.
   */
  minSocketAgeMs: number;
  /** Slack's Socket Mode retry waits (0, 60 s, 300 s), compressed so "never delivered" is known within the run. */
  envelopeRetryDelaysMs: number[];
  /** The `bolt` section (issue 14): a Bolt app on Lifeline and on Bolt's own SocketModeReceiver. */
  bolt: BoltPlan;
}

export interface BoltPlan {
  /** Slash commands timed to their ack, one every `ackEveryMs`; each may take `ackWaitMs` in all. */
  ackTrials: number;
  ackEveryMs: number;
  ackWaitMs: number;
  /** Events per second of each load step, each `stepMs` long; the ramp stops at the first step that fails. */
  ramp: number[];
  stepMs: number;
  /** After a step's last event, how long acks may still come before the step is judged. */
  drainMs: number;
  /** Between two steps. */
  restMs: number;
  /** Commands and a short load sent first and not counted: the first payloads pay for loading and compiling Bolt's and Lifeline's code paths. */
  warmupCommands: number;
  /** A step passes when its delivery p99 (produced → acked) is under this. */
  passP99Ms: number;
}

export const BOLT_PLANS: Record<Mode, BoltPlan> = {
  quick: { ackTrials: 10, ackEveryMs: 50, ackWaitMs: 5_000, ramp: [50, 100], stepMs: 1_000, drainMs: 2_000, restMs: 500, warmupCommands: 5, passP99Ms: 1_000 },
  full: { ackTrials: 200, ackEveryMs: 50, ackWaitMs: 5_000, ramp: [50, 100, 200, 400, 800, 1_600], stepMs: 3_000, drainMs: 2_000, restMs: 1_000, warmupCommands: 20, passP99Ms: 1_000 },
};

export function planFor(mode: Mode): BenchPlan {
  const minSocketAgeMs = DEFAULT_POLICY.stableOpenMs + 1_000;
  const envelopeRetryDelaysMs = [0, 1_000, 2_000];
  if (mode === 'quick') {
    return {
      mode,
      concurrentSystems: true,
      killed: { trials: 20, staggerMs: 100, timeoutMs: 15_000 },
      silent: { trials: { lifeline: 20, socketModeClient: 20, rtmClient: 20 }, staggerMs: 100, timeoutMs: 15_000 },
      refresh: { lanes: 10, cyclesPerLane: 1, warningLeadMs: 2_000, emitEveryMs: 50, timeoutMs: 15_000, settleEventsMs: 0 },
      memory: { links: 500, warmLinks: 10, settleMs: 6_000, openTimeoutMs: 20_000 },
      minSocketAgeMs,
      envelopeRetryDelaysMs,
      bolt: BOLT_PLANS.quick,
    };
  }
  return {
    mode,
    concurrentSystems: false,
    killed: { trials: 200, staggerMs: 50, timeoutMs: 30_000 },
    silent: { trials: { lifeline: 200, socketModeClient: 200, rtmClient: 200 }, staggerMs: 50, timeoutMs: 60_000 },
    refresh: { lanes: 10, cyclesPerLane: 5, warningLeadMs: 2_000, emitEveryMs: 50, timeoutMs: 30_000, settleEventsMs: 20_000 },
    memory: { links: 5_000, warmLinks: 20, settleMs: 10_000, openTimeoutMs: 120_000 },
    minSocketAgeMs,
    envelopeRetryDelaysMs,
    bolt: BOLT_PLANS.full,
  };
}
