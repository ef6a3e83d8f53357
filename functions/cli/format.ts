import type { LinkRow } from '../../shared/app';

/** `12s ago`, `4m ago`, `3h ago`, `2d ago`: how long since `then`, rounded down. */
export function ago(then: number, now: number): string {
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** What `/status.json` says of a worker (functions/embedded/status/server.ts `WorkerStatus`). */
export interface WorkerView {
  workerId: string;
  pid: number | null;
  state: string;
  /** Embedded only (the parent restarts a dying worker). */
  restarts?: number;
  startedAt: number;
  linkCount?: number;
  /** Links the worker holds at most (its heartbeat's `capacity`). */
  capacity?: number;
  draining?: boolean;
}

/** `667/5000`: links held against capacity, or just the count when the capacity is not known. */
export function heldText(w: { linkCount?: number; capacity?: number }): string {
  if (w.linkCount === undefined) return '-';
  return w.capacity === undefined ? String(w.linkCount) : `${w.linkCount}/${w.capacity}`;
}

export function statusText(describe: string, counts: Record<string, number>, workers: WorkerView[], now: number): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = [describe, '', table(['STATE', 'LINKS'], [...Object.entries(counts).map(([state, n]) => [state, String(n)]), ['total', String(total)]])];
  if (workers.length === 0) {
    lines.push('', 'workers: none registered');
    return lines.join('\n');
  }
  const held = workers.reduce((sum, w) => sum + (w.linkCount ?? 0), 0);
  lines.push('', table(
    ['WORKER', 'PID', 'STATE', 'LINKS', 'SHARE', 'STARTED', 'RESTARTS'],
    workers.map((w) => [
      w.workerId,
      w.pid === null ? '-' : String(w.pid),
      w.draining ? `${w.state} (draining)` : w.state,
      heldText(w),
      w.linkCount === undefined || held === 0 ? '-' : `${Math.round((w.linkCount / held) * 100)}%`,
      ago(w.startedAt, now),
      w.restarts === undefined ? '-' : String(w.restarts),
    ]),
  ));
  return lines.join('\n');
}

export function linksText(rows: LinkRow[], now: number): string {
  if (rows.length === 0) return '(no links match)';
  return table(
    ['STATE', 'LINK', 'SINCE', 'ATTEMPT', 'OWNER', 'LAST ERROR'],
    rows.map((r) => [r.state, r.id, ago(r.stateSince, now), String(r.attempt), r.owner ?? '-', r.lastError ?? '']),
  );
}
