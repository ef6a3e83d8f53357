import { BOLT_METRIC_KEYS, BOLT_SYSTEMS } from '../bolt/measure-bolt';
import { FROM_NOTHING_KEY, METRIC_KEYS } from './results';

export const SYSTEM_KEYS = ['lifeline', 'socketModeClient', 'rtmClient'] as const;
export const SECURITY_KEYS = ['sseRssGrowthMb', 'signedEventAnswerMs'] as const;
/** The embedded section's store-outage figures (issue 15): each a number, or null with a note. */
export const STORE_OUTAGE_KEYS = ['storeOutageDroppedSockets', 'storeOutageLostEvents', 'storeOutageRecoveryMs'] as const;
/** The embedded section's rebalancing figures (issue 16): each a number, or null with a note. */
export const REBALANCE_KEYS = ['rebalanceMs', 'rebalanceGapMs', 'rebalanceLostEvents'] as const;

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
  problems.push(...fromNothingProblems(root.systems.lifeline, (results as { targets?: Record<string, unknown> }).targets));
  problems.push(...securityProblems((results as { security?: unknown }).security));
  problems.push(...boltProblems((results as { bolt?: unknown }).bolt));
  problems.push(...storeOutageProblems((results as { embedded?: unknown }).embedded));
  return problems;
}

/** Issue 16: Lifeline's cold start from nothing, a number or null with a note, its link count, and its target. */
export function fromNothingProblems(lifeline: Record<string, unknown> | undefined, targets: Record<string, unknown> | undefined): string[] {
  if (!lifeline) return [];
  const problems: string[] = [];
  const value = lifeline[FROM_NOTHING_KEY];
  const notes = Array.isArray(lifeline.notes) ? lifeline.notes : [];
  if (!(FROM_NOTHING_KEY in lifeline)) problems.push(`lifeline.${FROM_NOTHING_KEY}: missing`);
  else if (value !== null && typeof value !== 'number') problems.push(`lifeline.${FROM_NOTHING_KEY}: not a number or null`);
  else if (value === null && notes.length === 0) problems.push(`lifeline.${FROM_NOTHING_KEY}: null without a note`);
  if (typeof (lifeline.trials as Record<string, unknown> | undefined)?.[FROM_NOTHING_KEY] !== 'number') problems.push(`lifeline.trials.${FROM_NOTHING_KEY}: missing`);
  if (!targets?.[FROM_NOTHING_KEY]) problems.push(`targets.${FROM_NOTHING_KEY}: missing`);
  return problems;
}

/** The embedded section runs in full mode only; when present it must carry the store-outage and rebalancing figures. */
function storeOutageProblems(section: unknown): string[] {
  if (section === undefined) return [];
  const embedded = section as Record<string, unknown> & { notes?: unknown; targets?: Record<string, unknown> };
  const notes = Array.isArray(embedded.notes) ? embedded.notes : [];
  const problems: string[] = [];
  for (const key of [...STORE_OUTAGE_KEYS, ...REBALANCE_KEYS]) {
    const value = embedded[key];
    if (!(key in embedded)) problems.push(`embedded.${key}: missing`);
    else if (value !== null && typeof value !== 'number') problems.push(`embedded.${key}: not a number or null`);
    else if (value === null && notes.length === 0) problems.push(`embedded.${key}: null without a note`);
    if (!embedded.targets?.[key]) problems.push(`embedded.targets.${key}: missing`);
  }
  return problems;
}

/** The security section's two targeted numbers: each a number, or null with a note saying why. */
function securityProblems(section: unknown): string[] {
  const security = section as { targets?: Record<string, unknown>; notes?: unknown; sseRssGrowthMb?: unknown; signedEventAnswerMs?: unknown } | undefined;
  if (!security || typeof security !== 'object') return ['security: missing'];
  const problems: string[] = [];
  const notes = Array.isArray(security.notes) ? security.notes : [];
  for (const key of SECURITY_KEYS) {
    const value = security[key];
    if (!(key in security)) problems.push(`security.${key}: missing`);
    else if (value !== null && typeof value !== 'number') problems.push(`security.${key}: not a number or null`);
    else if (value === null && notes.length === 0) problems.push(`security.${key}: null without a note`);
    if (!security.targets?.[key]) problems.push(`security.targets.${key}: missing`);
  }
  return problems;
}

/**
 * The bolt section: each system with `ackP50`, `ackP99` and `eventsPerSecond` (a number, or null
 * with a note) and a trial count for each; Lifeline's two targets.
 */
export function boltProblems(section: unknown): string[] {
  const bolt = section as ({ targets?: Record<string, unknown> } & Record<string, unknown>) | undefined;
  if (!bolt || typeof bolt !== 'object') return ['bolt: missing'];
  const problems: string[] = [];
  for (const name of BOLT_SYSTEMS) {
    const system = bolt[name] as Record<string, unknown> | undefined;
    if (!system || typeof system !== 'object') {
      problems.push(`bolt.${name}: missing`);
      continue;
    }
    const notes = Array.isArray(system.notes) ? system.notes : undefined;
    if (!notes) problems.push(`bolt.${name}: notes missing`);
    const trials = (system.trials ?? {}) as Record<string, unknown>;
    for (const key of BOLT_METRIC_KEYS) {
      const value = system[key];
      if (!(key in system)) problems.push(`bolt.${name}.${key}: missing`);
      else if (value !== null && typeof value !== 'number') problems.push(`bolt.${name}.${key}: not a number or null`);
      else if (value === null && notes?.length === 0) problems.push(`bolt.${name}.${key}: null without a note`);
      if (typeof trials[key] !== 'number') problems.push(`bolt.${name}.trials.${key}: missing`);
    }
  }
  for (const key of ['ackP99', 'eventsPerSecond']) if (!bolt.targets?.[key]) problems.push(`bolt.targets.${key}: missing`);
  return problems;
}
