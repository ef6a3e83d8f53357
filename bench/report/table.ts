import type { SystemName } from '../systems/types';
import { BOLT_METRIC_KEYS } from '../bolt/measure-bolt';
import { FROM_NOTHING_KEY, METRIC_KEYS, type BenchResults, type BoltSection, type SecuritySection } from './results';

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
  const fromNothing = results.targets[FROM_NOTHING_KEY];
  rows.push([
    FROM_NOTHING_KEY,
    ...systems.map((s) => (s === 'lifeline' ? cell(results.systems[s][FROM_NOTHING_KEY] ?? null, results.systems[s].trials[FROM_NOTHING_KEY] ?? 0) : 'n/a (no state)')),
    fromNothing ? `${fromNothing.target}${fromNothing.met === true ? ' ✓' : fromNothing.met === false ? ' ✗' : ''}` : '',
  ]);
  rows.push(
    ['— extra —', ...systems.map(() => ''), ''],
    ['refreshServingGapMs', ...systems.map((s) => num(detail(results, s, 'refresh', 'maxServingGapMs'))), 'last socket Slack delivers to → next hello'],
    ['refreshLateEvents', ...systems.map((s) => num(detail(results, s, 'refresh', 'events', 'late'))), 'reached the handler > 1 s after emission'],
    ['registerLinksMs', ...systems.map((s) => num(detail(results, s, 'memory', 'prepareMs'))), 'before cold start (Lifeline: CONNECT per link)'],
  );
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function detail(results: BenchResults, system: SystemName, ...path: string[]): unknown {
  let node: unknown = results.systems[system].details;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function num(value: unknown): string {
  return typeof value === 'number' ? Math.round(value).toLocaleString('en-US') : '—';
}

export function formatNotes(results: BenchResults): string {
  return (Object.keys(results.systems) as SystemName[])
    .flatMap((s) => results.systems[s].notes.map((note) => `- ${LABELS[s]}: ${note}`))
    .join('\n');
}

/** The security section as its own small table: each number, its target, and whether it was met. */
export function formatSecurity(security: SecuritySection): string {
  const mark = (met: boolean | null): string => (met === null ? '—' : met ? 'met' : 'MISSED');
  // MB values carry one decimal; counts and milliseconds are whole.
  const num = (value: number | null | undefined): string => (typeof value !== 'number' ? '—' : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1));
  const rows: string[][] = [
    ...Object.entries(security.targets).map(([key, t]) => [key, num(t.value), t.target, mark(t.met)]),
    ['sseFeedsClosedStuck', num(security.sseFeedsClosedStuck), `of ${security.plan.stuckClients}, after ${security.plan.transitions} transitions`, ''],
    ['sseRssGrowthPastBoundMb', num(security.sseRssGrowthPastBoundMb), `fed until every stuck feed was closed (${security.sseTransitionsToCloseAll ?? `not within ${security.plan.maxTransitions}`} transitions)`, ''],
    ['sseBytesPerFeed', num(security.sseBytesPerFeed), `sent to each feed over ${security.plan.transitions} transitions`, ''],
    ['signedEventP50Ms', num(security.signedEventP50Ms), `of ${security.plan.signedEvents} signed events`, ''],
    ['connectionsHeld', num(security.connectionsHeld), `of ${security.plan.slowBodies} slow bodies (${num(security.connectionsEvicted)} evicted at the cap)`, ''],
  ];
  const header = ['metric', 'value', 'target / context', ''];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...security.notes.map((note) => `  note: ${note}`)].join('\n');
}

/** The bolt section: metrics as rows, the two receivers as columns, Lifeline's target last; then each load step. */
export function formatBolt(bolt: BoltSection): string {
  const mark = (met: boolean | null | undefined): string => (met === true ? ' ✓' : met === false ? ' ✗' : '');
  const systems = [['Lifeline (LifelineReceiver)', bolt.lifeline], ['Bolt SocketModeReceiver', bolt.boltSocketMode]] as const;
  const header = ['metric', ...systems.map(([label]) => label), 'Lifeline target'];
  const rows = BOLT_METRIC_KEYS.map((key) => [
    key, ...systems.map(([, r]) => cell(r[key], r.trials[key])),
    bolt.targets[key] ? `${bolt.targets[key].target}${mark(bolt.targets[key].met)}` : '',
  ]);
  const steps = (r: BoltSection['lifeline']): string => r.details.ramp.map((s) => `${s.perSecond}/s p99 ${s.p99 ?? '—'} ms ${s.passed ? 'pass' : 'FAIL'}`).join(', ') || '—';
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [
    line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line),
    ...systems.map(([label, r]) => `  ${label} ramp: ${steps(r)}`),
    ...systems.flatMap(([label, r]) => r.notes.map((note) => `  note (${label}): ${note}`)),
    ...bolt.notes.map((note) => `  note: ${note}`),
  ].join('\n');
}
