import { InvalidSnapshotError, UnknownMachineVersionError } from './errors';
import { LINK_STATES, type LinkContext, type LinkStateName } from './link-context';

/** A link's state as stored: JSON-safe, versioned. */
export interface PersistedSnapshot {
  machineVersion: number;
  value: LinkStateName;
  context: LinkContext;
}

/** A stored snapshot without its version: what a migration step rewrites. */
export interface SnapshotBody {
  value: string;
  context: Record<string, unknown>;
}

/**
 * One version change, between `to - 1` and `to`. Both directions are pure and total on valid
 * bodies: `up` lets this release read what the previous one wrote; `down` lets this release write
 * what the previous one reads, while a worker of that release is still alive (a rolling deploy).
 */
export interface MigrationStep {
  up(body: SnapshotBody): SnapshotBody;
  down(body: SnapshotBody): SnapshotBody;
}

/**
 * Which snapshot versions a release reads and writes. It reads every version from 1 to `current`
 * (the `up` steps chain, so a link parked for a year still loads); it writes `current`, or
 * `current - 1` while an older worker may read the link. Never further back: a deploy moves one
 * release at a time.
 */
export interface SnapshotVersions {
  readonly current: number;
  /** The oldest version this release can write: `current - 1` (or 1). */
  readonly previous: number;
  /** Validates a stored snapshot and brings it to `current`. Unknown or future versions are refused, never reinterpreted. */
  read(raw: unknown): PersistedSnapshot;
  /** A `current` snapshot as `version` (`previous` or `current`) for storing. */
  write(snapshot: PersistedSnapshot, version: number): PersistedSnapshot;
}

/** Builds the versions of a release: `steps[v]` migrates between v - 1 and v, for every v in 2..current. */
export function defineSnapshotVersions(current: number, steps: Readonly<Record<number, MigrationStep>>): SnapshotVersions {
  if (!Number.isInteger(current) || current < 1) throw new RangeError(`machine version must be a positive integer, not ${current}`);
  for (let v = 2; v <= current; v += 1) if (!steps[v]) throw new RangeError(`machine version ${current} lacks the migration step to version ${v}`);
  const previous = Math.max(1, current - 1);
  return {
    current,
    previous,
    read(raw) {
      if (typeof raw !== 'object' || raw === null) throw new InvalidSnapshotError('snapshot is not an object');
      const { machineVersion, value, context } = raw as Partial<PersistedSnapshot>;
      if (typeof machineVersion !== 'number' || !Number.isInteger(machineVersion) || machineVersion < 1 || machineVersion > current) {
        throw new UnknownMachineVersionError(machineVersion, current);
      }
      let body = checkedBody(value, context);
      for (let v = machineVersion + 1; v <= current; v += 1) body = checkedBody(...spread(steps[v]!.up(body)));
      return { machineVersion: current, value: body.value as LinkStateName, context: body.context as unknown as LinkContext };
    },
    write(snapshot, version) {
      if (version === current) return snapshot;
      if (version !== previous) throw new RangeError(`machine version ${current} writes version ${previous} or ${current}, not ${version}`);
      const body = steps[current]!.down({ value: snapshot.value, context: { ...snapshot.context } });
      return { machineVersion: previous, value: body.value as LinkStateName, context: body.context as unknown as LinkContext };
    },
  };
}

function spread(body: SnapshotBody): [unknown, unknown] {
  return [body.value, body.context];
}

function checkedBody(value: unknown, context: unknown): SnapshotBody {
  if (!LINK_STATES.includes(value as LinkStateName)) throw new InvalidSnapshotError(`snapshot state ${JSON.stringify(value)} is not a link state`);
  const ctx = context as Partial<LinkContext> | null | undefined;
  if (typeof ctx !== 'object' || ctx === null || typeof ctx.attempt !== 'number' || typeof ctx.stateSince !== 'number') {
    throw new InvalidSnapshotError('snapshot context lacks attempt or stateSince');
  }
  return { value: value as string, context: ctx as Record<string, unknown> };
}

/**
 * Version 2 records `flaps` (drops of a link that had not been open long enough) on every
 * snapshot. Version 1 snapshots written before flaps existed lack it; until now the parser filled
 * it in silently, an unversioned migration. Version 1 readers accept the field, so `down` keeps it.
 */
const flapsRecorded: MigrationStep = {
  up: (body) => ({ value: body.value, context: { ...body.context, flaps: typeof body.context.flaps === 'number' ? body.context.flaps : 0 } }),
  down: (body) => body,
};

/**
 * The machine version written into persisted snapshots. Bump it whenever a change to the machine
 * would make an old snapshot mean something else, and add the step to `SNAPSHOT_VERSIONS`.
 */
export const MACHINE_VERSION = 2;

/** This release's snapshot versions. */
export const SNAPSHOT_VERSIONS: SnapshotVersions = defineSnapshotVersions(MACHINE_VERSION, { 2: flapsRecorded });
