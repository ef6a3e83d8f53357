import type { BoltResult } from '../bolt/measure-bolt';
import type { EmbeddedBenchResult } from '../embedded/measure-embedded';
import type { SecurityResult } from '../security/measure-security';
import type { MemoryResult } from '../phases/memory';
import type { RecoveryResult } from '../phases/recovery';
import type { RefreshResult } from '../phases/refresh';
import { merge, percentile, trials, type Sample } from '../stats';
import type { RefreshEventCounts } from '../system-run';
import type { LinkProtocol, SystemName } from '../systems/types';

/** The keys every system has in results.json (milliseconds unless named). */
export const METRIC_KEYS = [
  'killedP50', 'killedP99', 'silentP50', 'silentP99', 'refreshGapMs', 'refreshLostEnvelopes',
  'bytesPerLink', 'rawWsBytesPerLink', 'coldStart5000Ms',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/**
 * Lifeline only (issue 16): from nothing (no link registered) to every link open, registration
 * included. The peers keep no state, so their `coldStart5000Ms` is already from nothing.
 */
export const FROM_NOTHING_KEY = 'coldStartFromNothing5000Ms';

export type SystemResult = Record<MetricKey, number | null> & {
  [FROM_NOTHING_KEY]?: number | null;
  /** How many trials (or refreshes, or links) each metric rests on. */
  trials: Record<MetricKey, number> & { [FROM_NOTHING_KEY]?: number };
  notes: string[];
  /** Per-protocol breakdowns and secondary numbers. */
  details: Record<string, unknown>;
};

export interface BenchResults {
  mode: 'quick' | 'full';
  startedAt: string;
  durationMs: number;
  machine: { node: string; cpus: number; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  plan: unknown;
  rawWs: MemoryResult | null;
  rawWsBytesPerLink: number | null;
  systems: Record<SystemName, SystemResult>;
  /** Lifeline's targets from issue 4, and whether this run met them. */
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
  /** The embedded process as a user runs it (issue 8): failover, storm, steady writes. Full mode only. */
  embedded?: EmbeddedSection;
  /** The embedded server under stuck live-feed clients and slow bodies (issue 12). Both modes. */
  security?: SecuritySection;
  /** The same Bolt app on Lifeline and on Bolt's own SocketModeReceiver (issue 14). Both modes. */
  bolt?: BoltSection;
}

export interface BoltSection extends BoltResult {
  /** Lifeline's (`bolt.lifeline`) numbers against issue 14's targets. */
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

/** Issue 14's targets for a Bolt app on Lifeline: the ack inside Slack's patience, and a busy app's event rate. */
export function boltSection(r: BoltResult): BoltSection {
  const { ackP99, eventsPerSecond } = r.lifeline;
  return {
    ...r,
    targets: {
      ackP99: { target: '<= 100 ms', value: ackP99, met: ackP99 === null ? null : ackP99 <= 100 },
      // No step passed is a miss, not an unknown: the lowest step was run and failed.
      eventsPerSecond: {
        target: `>= 500 (p99 delivery < ${r.plan.passP99Ms} ms)`, value: eventsPerSecond,
        met: eventsPerSecond !== null ? eventsPerSecond >= 500 : r.lifeline.details.ramp.length > 0 ? false : null,
      },
    },
  };
}

export interface SecuritySection extends SecurityResult {
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

/** Issue 12's targets: stuck live-feed clients cost bounded memory; slow bodies do not delay Slack's events. */
export function securitySection(r: SecurityResult): SecuritySection {
  return {
    ...r,
    targets: {
      sseRssGrowthMb: { target: `< 50 (${r.plan.stuckClients} stuck feeds, ${r.plan.transitions} transitions)`, value: r.sseRssGrowthMb, met: r.sseRssGrowthMb === null ? null : r.sseRssGrowthMb < 50 },
      signedEventAnswerMs: { target: `< 1000 (during ${r.plan.slowBodies} slow bodies)`, value: r.signedEventAnswerMs, met: r.signedEventAnswerMs === null ? null : r.signedEventAnswerMs < 1_000 },
    },
  };
}

export interface EmbeddedSection extends EmbeddedBenchResult {
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

/** Issue 8's targets: KCL-style leases take ~30-40 s to fail over; writes must not grow with links. */
export function embeddedSection(r: Omit<EmbeddedSection, 'targets'>): EmbeddedSection {
  const check = (value: number | null, limit: number) => ({ value, met: value === null ? null : value <= limit });
  return {
    ...r,
    targets: {
      failoverMs: { target: '<= 20000', ...check(r.failoverMs, 20_000) },
      stormMs: { target: '<= 60000 with zero 429s', value: r.stormMs, met: r.stormMs === null ? null : r.stormMs <= 60_000 && r.storm429s === 0 },
      steadyWritesPerMin: { target: `<= ${15 * r.workers} (15 x workers)`, ...check(r.steadyWritesPerMin, 15 * r.workers) },
      // Issue 15: a 30 s store outage with 1,000 links drops nothing and recovers within 10 s.
      storeOutageDroppedSockets: { target: '0', ...check(r.storeOutageDroppedSockets, 0) },
      storeOutageLostEvents: { target: '0', ...check(r.storeOutageLostEvents, 0) },
      storeOutageRecoveryMs: { target: '<= 10000', ...check(r.storeOutageRecoveryMs, 10_000) },
      // Issue 16: a third worker joins 2 × 2,500 links; links move make-before-break, events once.
      rebalanceMs: { target: 'even within ±10 % (time reported)', value: r.rebalanceMs, met: r.rebalanceMs === null ? null : true },
      rebalanceGapMs: { target: '0', ...check(r.rebalanceGapMs, 0) },
      rebalanceLostEvents: { target: '0', ...check(r.rebalanceLostEvents, 0) },
    },
  };
}

export interface SystemInputs {
  killed?: RecoveryResult;
  silent?: RecoveryResult;
  refresh?: RefreshResult;
  refreshEvents?: RefreshEventCounts;
  memory?: MemoryResult | null;
  memoryError?: string;
  /** Lifeline: the cold start from nothing (a child of its own); absent for the peers. */
  fromNothing?: { result: MemoryResult | null; error?: string };
  rawWsBytesPerLink: number | null;
  notes: string[];
  protocols: readonly LinkProtocol[];
  /** The in-process system's own state at the end of the trials. */
  status?: Record<string, unknown>;
}

const round = (value: number | null): number | null => (value === null ? null : Math.round(value));

function pooled(result: RecoveryResult | undefined): Sample {
  return result ? merge(result.byProtocol.rtm, result.byProtocol.socket) : { values: [], timedOut: 0 };
}

function breakdown(result: RecoveryResult | undefined, protocols: readonly LinkProtocol[]): Record<string, unknown> {
  if (!result) return {};
  return Object.fromEntries(protocols.map((protocol) => {
    const sample = result.byProtocol[protocol];
    return [protocol, {
      p50: percentile(sample, 50), p99: percentile(sample, 99), max: sample.values.length ? Math.max(...sample.values) : null,
      trials: trials(sample), timedOut: sample.timedOut,
    }];
  }));
}

export function systemResult(inputs: SystemInputs): SystemResult {
  const { killed, silent, refresh, refreshEvents, memory } = inputs;
  const killedSample = pooled(killed);
  const silentSample = pooled(silent);
  const cycles = refresh?.cycles ?? [];
  const notes = [...inputs.notes];
  if (killedSample.timedOut > 0) notes.push(`killed: ${killedSample.timedOut} of ${trials(killedSample)} trials had no new socket within the cap; percentiles that land on them are null`);
  if (silentSample.timedOut > 0) notes.push(`silent: ${silentSample.timedOut} of ${trials(silentSample)} trials had no new socket within the cap; percentiles that land on them are null`);
  const incomplete = cycles.filter((c) => !c.completed).length;
  if (incomplete > 0) notes.push(`refresh: ${incomplete} of ${cycles.length} refreshes did not end with the old socket closed and a new one open within the cap; their gap is a lower bound`);
  if ((killed?.notSteady ?? 0) + (silent?.notSteady ?? 0) + (refresh?.notSteady ?? 0) > 0) {
    notes.push(`links that never held one steady socket to fault: killed ${killed?.notSteady ?? 0}, silent ${silent?.notSteady ?? 0}, refresh ${refresh?.notSteady ?? 0}`);
  }
  if (inputs.memoryError) notes.push(`memory/cold start child failed: ${inputs.memoryError}`);
  else if (memory && memory.opened < memory.links) notes.push(`cold start: only ${memory.opened} of ${memory.links} links opened within the cap`);
  else if (memory && memory.openAtMeasure < memory.links) notes.push(`memory: only ${memory.openAtMeasure} of ${memory.links} links were still open after the idle settle, so bytesPerLink is null`);
  if (memory?.belowNoise) notes.push(`memory: the growth at ${memory.links} links is within one reading's noise (8 MB), so bytesPerLink is null (quick mode has too few links)`);
  if (memory && memory.openAtMeasure >= memory.links && memory.openAfterGc < memory.links) {
    notes.push(`memory: ${memory.links - memory.openAfterGc} sockets closed during the forced GCs of the measurement (the pause tripped the client's own timers); RSS was read after them`);
  }
  if (memory?.status?.workerState !== undefined && memory.status.workerState !== 'running') notes.push(`memory/cold start child: the worker ended in state '${String(memory.status.workerState)}'`);
  if (inputs.status?.workerState !== undefined && inputs.status.workerState !== 'running') notes.push(`trials: the worker ended in state '${String(inputs.status.workerState)}'`);
  const memoryLinks = memory?.links ?? 0;
  const fromNothing = inputs.fromNothing;
  if (fromNothing?.error) notes.push(`cold start from nothing: the child failed: ${fromNothing.error}`);
  else if (fromNothing?.result && fromNothing.result.coldStartMs === null) notes.push(`cold start from nothing: only ${fromNothing.result.opened} of ${fromNothing.result.links} links opened within the cap`);
  else if (fromNothing && !fromNothing.result) notes.push('cold start from nothing: not measured');
  const fromNothingFields = fromNothing
    ? { value: { [FROM_NOTHING_KEY]: fromNothing.result?.coldStartMs ?? null }, trials: { [FROM_NOTHING_KEY]: fromNothing.result?.links ?? 0 } }
    : { value: {}, trials: {} };
  return {
    killedP50: round(percentile(killedSample, 50)),
    killedP99: round(percentile(killedSample, 99)),
    silentP50: round(percentile(silentSample, 50)),
    silentP99: round(percentile(silentSample, 99)),
    refreshGapMs: cycles.length ? Math.max(...cycles.map((c) => c.gapMs)) : null,
    refreshLostEnvelopes: refreshEvents ? refreshEvents.lost : null,
    bytesPerLink: memory?.bytesPerLink ?? null,
    rawWsBytesPerLink: inputs.rawWsBytesPerLink,
    coldStart5000Ms: memory?.coldStartMs ?? null,
    ...fromNothingFields.value,
    trials: {
      killedP50: trials(killedSample), killedP99: trials(killedSample),
      silentP50: trials(silentSample), silentP99: trials(silentSample),
      refreshGapMs: cycles.length, refreshLostEnvelopes: refreshEvents?.emitted ?? 0,
      bytesPerLink: memoryLinks, rawWsBytesPerLink: memoryLinks, coldStart5000Ms: memoryLinks,
      ...fromNothingFields.trials,
    },
    notes,
    details: {
      killed: breakdown(killed, inputs.protocols),
      silent: breakdown(silent, inputs.protocols),
      refresh: {
        cycles: cycles.length,
        maxServingGapMs: cycles.length ? Math.max(...cycles.map((c) => c.servingGapMs)) : null,
        byProtocol: Object.fromEntries(inputs.protocols.map((protocol) => {
          const mine = cycles.filter((c) => c.protocol === protocol);
          return [protocol, {
            cycles: mine.length,
            maxGapMs: mine.length ? Math.max(...mine.map((c) => c.gapMs)) : null,
            maxServingGapMs: mine.length ? Math.max(...mine.map((c) => c.servingGapMs)) : null,
          }];
        })),
        events: refreshEvents ?? null,
      },
      memory: memory ?? null,
      ...(fromNothing ? { fromNothing: fromNothing.result } : {}),
      status: inputs.status ?? null,
    },
  };
}

/** Issue 4's targets for Lifeline, checked against this run; issue 16's against the peers of the same run. */
export function lifelineTargets(lifeline: SystemResult, peers: Partial<Record<'socketModeClient' | 'rtmClient', SystemResult>> = {}): BenchResults['targets'] {
  const check = (value: number | null, ok: (v: number) => boolean) => (value === null ? null : ok(value));
  const raw = lifeline.rawWsBytesPerLink;
  return {
    killedP99: { target: '<= 250 ms', value: lifeline.killedP99, met: check(lifeline.killedP99, (v) => v <= 250) },
    silentP99: { target: '<= 8000 ms', value: lifeline.silentP99, met: check(lifeline.silentP99, (v) => v <= 8_000) },
    refreshGapMs: { target: '= 0', value: lifeline.refreshGapMs, met: check(lifeline.refreshGapMs, (v) => v === 0) },
    refreshLostEnvelopes: { target: '= 0', value: lifeline.refreshLostEnvelopes, met: check(lifeline.refreshLostEnvelopes, (v) => v === 0) },
    bytesPerLink: {
      target: '<= 3 x rawWsBytesPerLink', value: lifeline.bytesPerLink,
      met: raw === null ? null : check(lifeline.bytesPerLink, (v) => v <= 3 * raw),
    },
    coldStart5000Ms: { target: '<= 30000 ms', value: lifeline.coldStart5000Ms, met: check(lifeline.coldStart5000Ms, (v) => v <= 30_000) },
    [FROM_NOTHING_KEY]: fromNothingTarget(lifeline[FROM_NOTHING_KEY] ?? null, peers),
  };
}

/** <= 1.5 x the slower official client's cold start in the same run; unknown while either peer has none. */
function fromNothingTarget(value: number | null, peers: Partial<Record<'socketModeClient' | 'rtmClient', SystemResult>>): BenchResults['targets'][string] {
  const peerTimes = [peers.socketModeClient?.coldStart5000Ms ?? null, peers.rtmClient?.coldStart5000Ms ?? null];
  const slower = peerTimes.every((t): t is number => t !== null) ? Math.max(...peerTimes) : null;
  const limit = slower === null ? null : Math.round(1.5 * slower);
  return {
    target: `<= 1.5 x max(SocketModeClient, RTMClient coldStart5000Ms)${limit === null ? '' : ` = ${limit} ms`}`,
    value,
    met: value === null || limit === null ? null : value <= limit,
  };
}
