import { initialTransition, transition } from 'xstate';
import { EFFECT_TYPES, type Effect, type EffectType } from './effects';
import { InvalidSnapshotError, UnknownMachineVersionError, UnstartedLinkError } from './errors';
import type { LinkEvent, StepEnv } from './events';
import { LINK_STATES, type LinkContext, type LinkStateName } from './link-context';
import { linkMachine } from './link-machine';

/**
 * The machine version written into every persisted snapshot. Bump it whenever a change to the
 * machine would make an old snapshot mean something else, and add a migration: a snapshot of an
 * unknown version is rejected, never silently reinterpreted.
 */
export const MACHINE_VERSION = 1;

/** A link's state as stored: JSON-safe, versioned. */
export interface PersistedSnapshot {
  machineVersion: number;
  value: LinkStateName;
  context: LinkContext;
}

export interface StepResult {
  snapshot: PersistedSnapshot;
  effects: Effect[];
  /** False when the event was ignored in this state: nothing to write. */
  changed: boolean;
}

/**
 * One pure step of a link: the next snapshot and the effects to perform, computed and not
 * performed. A new link is `step(undefined, { type: 'CONNECT' }, env)`.
 */
export function step(snapshot: PersistedSnapshot | undefined, event: LinkEvent, env: StepEnv): StepResult {
  if (snapshot === undefined) {
    if (event.type !== 'CONNECT') throw new UnstartedLinkError(event.type);
    const [first, actions] = initialTransition(linkMachine, { now: env.now });
    return { snapshot: persist(first.value, first.context), effects: effectsOf(actions), changed: true };
  }
  const current = parseSnapshot(snapshot);
  const resolved = linkMachine.resolveState({ value: current.value, context: current.context });
  const [next, actions] = transition(linkMachine, resolved, { ...event, env });
  const persisted = persist(next.value, next.context);
  return { snapshot: persisted, effects: effectsOf(actions), changed: !sameSnapshot(current, persisted) };
}

/** Validates a stored snapshot before the machine sees it. */
export function parseSnapshot(raw: unknown): PersistedSnapshot {
  if (typeof raw !== 'object' || raw === null) throw new InvalidSnapshotError('snapshot is not an object');
  const candidate = raw as Partial<PersistedSnapshot>;
  if (candidate.machineVersion !== MACHINE_VERSION) throw new UnknownMachineVersionError(candidate.machineVersion, MACHINE_VERSION);
  if (!LINK_STATES.includes(candidate.value as LinkStateName)) {
    throw new InvalidSnapshotError(`snapshot state ${JSON.stringify(candidate.value)} is not a link state`);
  }
  const context = candidate.context;
  if (typeof context !== 'object' || context === null || typeof context.attempt !== 'number' || typeof context.stateSince !== 'number') {
    throw new InvalidSnapshotError('snapshot context lacks attempt or stateSince');
  }
  return { machineVersion: MACHINE_VERSION, value: candidate.value as LinkStateName, context: { ...context, flaps: context.flaps ?? 0 } };
}

function persist(value: unknown, context: LinkContext): PersistedSnapshot {
  if (typeof value !== 'string' || !LINK_STATES.includes(value as LinkStateName)) {
    throw new InvalidSnapshotError(`machine produced a non-link state ${JSON.stringify(value)}`);
  }
  return { machineVersion: MACHINE_VERSION, value: value as LinkStateName, context: jsonSafe(context) };
}

/** Drops undefined fields, so a snapshot equals its own JSON round trip. */
function jsonSafe(context: LinkContext): LinkContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as unknown as LinkContext;
}

function sameSnapshot(a: PersistedSnapshot, b: PersistedSnapshot): boolean {
  return a.value === b.value && canonical(a.context) === canonical(b.context);
}

function canonical(context: LinkContext): string {
  const entries = Object.entries(context).filter(([, v]) => v !== undefined);
  entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify(entries);
}

function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  return actions
    .filter((action): action is { type: EffectType; params?: unknown } => (EFFECT_TYPES as readonly string[]).includes(action.type))
    .map((action) => ({ type: action.type, params: (action.params ?? {}) as never }) as Effect);
}
