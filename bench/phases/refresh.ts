import type { SlackSimulator } from '../../shared/slack-simulator';
import { sleep } from '../stats';
import { MARKER_FIELD, type LinkProtocol, type LinkTarget } from '../systems/types';
import type { SocketSpan, TruthWatcher } from '../truth-watcher';
import { steadySocket } from './lanes';

export interface RefreshPlan {
  lanes: readonly LinkTarget[];
  /** Planned refreshes per lane, one after another. */
  cyclesPerLane: number;
  /** Socket Mode: `warning` comes this long before `refresh_requested` (Slack: ~10 s). */
  warningLeadMs: number;
  /** One bench event per lane this often, from shortly before each refresh until it has settled. */
  emitEveryMs: number;
  /** How long to wait for the old socket to close and a new one to open. */
  timeoutMs: number;
  /** Prefix that makes this system's markers unique. */
  markerPrefix: string;
  /** Whether the system's handler has seen a marker. */
  delivered(marker: string): boolean;
  /** After each refresh, wait at most this long for its events to be delivered or given up by Slack. */
  settleEventsMs: number;
}

export interface RefreshCycle {
  protocol: LinkProtocol;
  /** Longest stretch inside the cycle with no socket of the link open (hello → close, per the simulator). */
  gapMs: number;
  /**
   * Longest stretch with no socket Slack would deliver to, up to the next hello: from the old
   * socket's close (RTM: a socket that said goodbye still gets events) or from `refresh_requested`
   * (Socket Mode routes envelopes elsewhere from then on), whichever is first.
   */
  servingGapMs: number;
  /** The old socket closed and a new one opened within the timeout. */
  completed: boolean;
}

export interface EmittedMarker {
  marker: string;
  protocol: LinkProtocol;
  at: number;
  /** Socket Mode: the envelope, so the bench can tell whether Slack gave up on it. */
  envelopeId?: string;
}

export interface RefreshResult {
  cycles: RefreshCycle[];
  emitted: EmittedMarker[];
  notSteady: number;
}

/**
 * Planned refreshes, as Slack sends them: RTM `goodbye` (the server closes 5 s later), Socket
 * Mode `warning` then `refresh_requested` on the same socket (the server closes 1 s later).
 * Bench events flow into the link throughout each refresh; whether they reached the handler is
 * judged later, once Slack's redeliveries are over.
 */
export async function runRefreshes(sim: SlackSimulator, watcher: TruthWatcher, plan: RefreshPlan): Promise<RefreshResult> {
  const result: RefreshResult = { cycles: [], emitted: [], notSteady: 0 };
  await Promise.all(plan.lanes.map(async (lane, laneIndex) => {
    // Lanes start apart so their refreshes do not all land on the same instant.
    await sleep(laneIndex * 97);
    for (let cycle = 0; cycle < plan.cyclesPerLane; cycle++) {
      const old = await steadySocket(watcher, lane.key, 300, plan.timeoutMs);
      if (!old) {
        result.notSteady += 1;
        return;
      }
      const mine: EmittedMarker[] = [];
      const emitter = startEmitter(sim, lane, plan, `${plan.markerPrefix}:${lane.key}:${cycle}`, mine);
      await sleep(250);
      result.cycles.push(await refreshOnce(sim, watcher, lane, old, plan));
      await sleep(500);
      emitter.stop();
      result.emitted.push(...mine);
      // Each refresh is judged on its own: the next one starts only once Slack is done with this
      // one's events, so redeliveries never land in the next refresh's gap.
      await waitSettled(sim, mine, plan.delivered, plan.settleEventsMs);
    }
  }));
  return result;
}

async function refreshOnce(sim: SlackSimulator, watcher: TruthWatcher, lane: LinkTarget, old: SocketSpan, plan: RefreshPlan): Promise<RefreshCycle> {
  const faultAt = Date.now();
  let stopsServingAt = Infinity;
  if (lane.protocol === 'rtm') {
    sim.faults.goodbye({ socketId: old.socketId });
  } else {
    sim.faults.disconnect({ socketId: old.socketId }, 'warning');
    await sleep(plan.warningLeadMs);
    stopsServingAt = Date.now();
    // Sent to the socket that got the warning; if the system already closed it, nothing is sent.
    sim.faults.disconnect({ socketId: old.socketId }, 'refresh_requested');
  }
  const [closedAt, next] = await Promise.all([
    watcher.closed(old.socketId, plan.timeoutMs),
    watcher.nextHello(lane.key, old.socketId, plan.timeoutMs),
  ]);
  const end = Date.now();
  const servingStop = Math.min(stopsServingAt, closedAt ?? end);
  const servingGapMs = next ? Math.max(0, next.helloAt - servingStop) : end - servingStop;
  return {
    protocol: lane.protocol,
    gapMs: longestUncovered(watcher.spansOf(lane.key), faultAt, end),
    servingGapMs,
    completed: closedAt !== undefined && next !== undefined,
  };
}

/**
 * Slack's `ts` is unique within a channel, and RTM dedupe keys on it. One counter for the whole
 * run: a per-refresh counter gave two refreshes of a lane less than a second apart the same ts
 * for different messages, and the second one was (rightly) dropped as a duplicate.
 */
let tsSeq = 0;
function uniqueTs(at: number): string {
  tsSeq = (tsSeq + 1) % 1_000_000;
  return `${Math.floor(at / 1000)}.${String(tsSeq).padStart(6, '0')}`;
}

function startEmitter(sim: SlackSimulator, lane: LinkTarget, plan: RefreshPlan, prefix: string, out: EmittedMarker[]): { stop(): void } {
  let seq = 0;
  const emit = (): void => {
    const marker = `${prefix}:${seq++}`;
    const at = Date.now();
    if (lane.protocol === 'rtm') {
      const ts = uniqueTs(at);
      sim.emitEvent(lane.key, { type: 'message', channel: 'CBENCH', user: 'UBENCH', text: marker, ts, [MARKER_FIELD]: marker });
      out.push({ marker, protocol: 'rtm', at });
    } else {
      const [emitted] = sim.emitEvent(lane.appId, { type: 'app_mention', channel: 'CBENCH', user: 'UBENCH', text: marker, [MARKER_FIELD]: marker });
      out.push({ marker, protocol: 'socket', at, ...(emitted?.envelopeId ? { envelopeId: emitted.envelopeId } : {}) });
    }
  };
  emit();
  const timer = setInterval(emit, plan.emitEveryMs);
  return { stop: () => clearInterval(timer) };
}

/** Every event reached the handler, or Slack is done with it (Socket Mode: acked or dropped; RTM: 1 s, no retries). */
export function eventsSettled(sim: SlackSimulator, emitted: readonly EmittedMarker[], delivered: (marker: string) => boolean): boolean {
  const now = Date.now();
  return emitted.every((e) => {
    if (delivered(e.marker)) return true;
    if (e.envelopeId === undefined) return now - e.at > 1_000;
    const record = sim.truth.envelopes.get(e.envelopeId);
    return record === undefined || record.dropped || record.ackedAt !== undefined;
  });
}

async function waitSettled(sim: SlackSimulator, emitted: readonly EmittedMarker[], delivered: (marker: string) => boolean, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!eventsSettled(sim, emitted, delivered) && Date.now() < deadline) await sleep(100);
}

/** The longest part of [from, to] that no span covers; a span without a close is open to the end. */
export function longestUncovered(spans: readonly SocketSpan[], from: number, to: number): number {
  const intervals = spans
    .map((span) => [Math.max(from, span.helloAt), Math.min(to, span.closedAt ?? Infinity)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let longest = 0;
  let cursor = from;
  for (const [start, end] of intervals) {
    if (start > cursor) longest = Math.max(longest, start - cursor);
    cursor = Math.max(cursor, end);
  }
  return Math.max(longest, to - cursor);
}
