import { METRIC_KEYS } from './results';

export const SYSTEM_KEYS = ['lifeline', 'socketModeClient', 'rtmClient'] as const;

/**
 * What a results file lacks: every system needs every metric key (a number, or null with a note)
 * and a trial count for each. Returns human-readable problems; empty means complete.
 */
export function resultProblems(results: unknown): string[] {
  const problems: string[] = [];
  const root = results as { systems?: Record<string, Record<string, unknown>>; rawWsBytesPerLink?: unknown } | null;
  if (!root || typeof root !== 'object' || !root.systems) return ['no systems'];
  if (!('rawWsBytesPerLink' in root)) problems.push('top level: rawWsBytesPerLink missing');
  for (const name of SYSTEM_KEYS) {
    const system = root.systems[name];
    if (!system) {
      problems.push(`${name}: missing`);
      continue;
    }
    const trials = (system.trials ?? {}) as Record<string, unknown>;
    const notes = Array.isArray(system.notes) ? system.notes : undefined;
    if (!notes) problems.push(`${name}: notes missing`);
    for (const key of METRIC_KEYS) {
      const value = system[key];
      if (!(key in system)) problems.push(`${name}.${key}: missing`);
      else if (value !== null && typeof value !== 'number') problems.push(`${name}.${key}: not a number or null`);
      else if (value === null && notes?.length === 0) problems.push(`${name}.${key}: null without a note`);
      if (typeof trials[key] !== 'number') problems.push(`${name}.trials.${key}: missing`);
    }
  }
  return problems;
}
