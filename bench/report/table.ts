import type { SystemName } from '../systems/types';
import { METRIC_KEYS, type BenchResults } from './results';

const LABELS: Record<SystemName, string> = { lifeline: 'Lifeline', socketModeClient: 'SocketModeClient', rtmClient: 'RTMClient' };

function cell(value: number | null, trialCount: number): string {
  if (value === null) return '—';
  return `${value.toLocaleString('en-US')} (n=${trialCount})`;
}

/** Metrics as rows, systems as columns, Lifeline's target last. */
export function formatTable(results: BenchResults): string {
  const systems = Object.keys(results.systems) as SystemName[];
  const header = ['metric', ...systems.map((s) => LABELS[s]), 'Lifeline target'];
  const rows = METRIC_KEYS.map((key) => [
    key,
    ...systems.map((s) => cell(results.systems[s][key], results.systems[s].trials[key])),
    results.targets[key] ? `${results.targets[key].target}${results.targets[key].met === true ? ' ✓' : results.targets[key].met === false ? ' ✗' : ''}` : '',
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatNotes(results: BenchResults): string {
  return (Object.keys(results.systems) as SystemName[])
    .flatMap((s) => results.systems[s].notes.map((note) => `- ${LABELS[s]}: ${note}`))
    .join('\n');
}
