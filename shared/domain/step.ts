import { initialTransition, transition } from 'xstate';
import { EFFECT_TYPES, type Effect, type EffectType } from './effects';
import { InvalidSnapshotError, UnstartedLinkError } from './errors';
import type { LinkEvent, StepEnv } from './events';
import { LINK_STATES, type LinkContext, type LinkStateName } from './link-context';
import { linkMachine } from './link-machine';
import { SNAPSHOT_VERSIONS, type PersistedSnapshot, type SnapshotVersions } from './snapshot-versions';

export { MACHINE_VERSION, type PersistedSnapshot } from './snapshot-versions';

export interface StepResult {
  snapshot: PersistedSnapshot;
  effects: Effect[];
  /** False when the event was ignored in this state: nothing to write. */
  changed: boolean;
}

/**
 * One pure step of a link: the next snapshot and the effects to perform, computed and not
 * performed. A new link is `step(undefined, { type: 'CONNECT' }, env)`. A stored snapshot of an
 * older version is migrated on the way in; the result is always of `versions.current` (storing
 * it as an older version is the writer's choice, `SnapshotVersions.write`).
 */
export function step(snapshot: PersistedSnapshot | undefined, event: LinkEvent, env: StepEnv, versions: SnapshotVersions = SNAPSHOT_VERSIONS): StepResult {
  if (snapshot === undefined) {
    if (event.type !== 'CONNECT') throw new UnstartedLinkError(event.type);
    const [first, actions] = initialTransition(linkMachine, { now: env.now });
    return { snapshot: persist(versions, first.value, first.context), effects: effectsOf(actions), changed: true };
  }
  const current = versions.read(snapshot);
  const resolved = linkMachine.resolveState({ value: current.value, context: current.context });
  const [next, actions] = transition(linkMachine, resolved, { ...event, env });
  const persisted = persist(versions, next.value, next.context);
  return { snapshot: persisted, effects: effectsOf(actions), changed: !sameSnapshot(current, persisted) };
}

/** Validates a stored snapshot (of this release's versions) and brings it to the current version. */
export function parseSnapshot(raw: unknown): PersistedSnapshot {
  return SNAPSHOT_VERSIONS.read(raw);
}

function persist(versions: SnapshotVersions, value: unknown, context: LinkContext): PersistedSnapshot {
  if (typeof value !== 'string' || !LINK_STATES.includes(value as LinkStateName)) {
    throw new InvalidSnapshotError(`machine produced a non-link state ${JSON.stringify(value)}`);
  }
  return { machineVersion: versions.current, value: value as LinkStateName, context: jsonSafe(context) };
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
