import type { GroundTruth } from '../../shared/slack-simulator';

/** What the simulator saw of each key's sockets over a window: when none was open, when two were. */
export interface SocketCoverage {
  /** The longest time any key had no socket past `hello` (ms); 0 when every key always had one. */
  longestGapMs: number;
  /** Keys that had no open socket at some point in the window, with the longest such time. */
  gaps: { key: string; ms: number }[];
  /** The most sockets one key had open at once. */
  maxConcurrent: number;
  /** Per key, how many times it went from one open socket to two (a make-before-break swap each). */
  swaps: Map<string, number>;
  /** The longest time any key had two sockets open (ms). */
  longestOverlapMs: number;
}

/**
 * Exact, not sampled: the simulator's own hello and close records (its timestamps), swept per
 * key over [from, to]. A socket counts from its `hello` to its close.
 */
export function socketCoverage(truth: GroundTruth, keys: readonly string[], from: number, to: number): SocketCoverage {
  const wanted = new Set(keys);
  const closedAt = new Map<number, number>();
  for (const close of truth.closes) closedAt.set(close.socketId, close.at);
  const steps = new Map<string, { at: number; delta: number }[]>();
  for (const connect of truth.socketConnects) {
    if (connect.outcome !== 'hello' || connect.socketId === undefined || !wanted.has(connect.key)) continue;
    const list = steps.get(connect.key) ?? [];
    list.push({ at: connect.at, delta: 1 });
    const closed = closedAt.get(connect.socketId);
    if (closed !== undefined) list.push({ at: closed, delta: -1 });
    steps.set(connect.key, list);
  }
  const report: SocketCoverage = { longestGapMs: 0, gaps: [], maxConcurrent: 0, swaps: new Map(), longestOverlapMs: 0 };
  for (const key of keys) {
    // Closes before opens at the same instant: a swap that closed and opened in one ms is a gap of 0, not an overlap.
    const list = (steps.get(key) ?? []).sort((a, b) => a.at - b.at || a.delta - b.delta);
    let open = 0;
    let i = 0;
    for (; i < list.length && (list[i] as { at: number }).at <= from; i++) open += (list[i] as { delta: number }).delta;
    let since = from;
    let longestGap = 0;
    let swaps = 0;
    const note = (now: number, before: number) => {
      if (before === 0) longestGap = Math.max(longestGap, now - since);
      if (before >= 2) report.longestOverlapMs = Math.max(report.longestOverlapMs, now - since);
      since = now;
    };
    report.maxConcurrent = Math.max(report.maxConcurrent, open);
    for (; i < list.length && (list[i] as { at: number }).at <= to; i++) {
      const step = list[i] as { at: number; delta: number };
      const before = open;
      open += step.delta;
      if ((before === 0) !== (open === 0) || (before >= 2) !== (open >= 2)) note(step.at, before);
      if (before === 1 && open === 2) swaps += 1;
      report.maxConcurrent = Math.max(report.maxConcurrent, open);
    }
    note(to, open);
    if (longestGap > 0) report.gaps.push({ key, ms: longestGap });
    report.longestGapMs = Math.max(report.longestGapMs, longestGap);
    report.swaps.set(key, swaps);
  }
  return report;
}
