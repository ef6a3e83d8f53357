import { describe, expect, it } from 'vitest';
import {
  defineSnapshotVersions,
  InvalidSnapshotError,
  MACHINE_VERSION,
  SNAPSHOT_VERSIONS,
  step,
  UnknownMachineVersionError,
  type MigrationStep,
  type PersistedSnapshot,
} from '../../shared/domain';
import { envAt, snapshotIn, T0 } from './fixtures';

/** A version 1 snapshot as releases before `flaps` existed wrote it. */
const v1WithoutFlaps = { machineVersion: 1, value: 'open', context: { attempt: 0, stateSince: T0, openedAt: T0 } } as unknown as PersistedSnapshot;

describe('snapshot versions of this release', () => {
  it('reads a version 1 snapshot as the current version, flaps counted from zero', () => {
    expect(MACHINE_VERSION).toBe(2);
    expect(SNAPSHOT_VERSIONS.read(v1WithoutFlaps)).toEqual({ machineVersion: 2, value: 'open', context: { attempt: 0, stateSince: T0, openedAt: T0, flaps: 0 } });
    // A version 1 snapshot that already had flaps keeps them.
    const counted = { ...v1WithoutFlaps, context: { ...v1WithoutFlaps.context, flaps: 3 } };
    expect(SNAPSHOT_VERSIONS.read(counted).context.flaps).toBe(3);
  });

  it('steps a version 1 snapshot like its migrated self, and returns the current version', () => {
    const fromOld = step(v1WithoutFlaps, { type: 'DROPPED', code: 1006 }, envAt(T0 + 5));
    const fromNew = step(SNAPSHOT_VERSIONS.read(v1WithoutFlaps), { type: 'DROPPED', code: 1006 }, envAt(T0 + 5));
    expect(fromOld).toEqual(fromNew);
    expect(fromOld.snapshot.machineVersion).toBe(MACHINE_VERSION);
  });

  it('writes the previous version for an older reader, and that reader reads it back to the same state', () => {
    const current = step(snapshotIn('open'), { type: 'DROPPED', code: 1006 }, envAt(T0 + 5)).snapshot;
    const asPrevious = SNAPSHOT_VERSIONS.write(current, 1);
    expect(asPrevious.machineVersion).toBe(1);
    const previousRelease = defineSnapshotVersions(1, {});
    expect(previousRelease.read(asPrevious)).toEqual({ ...current, machineVersion: 1 });
    expect(SNAPSHOT_VERSIONS.read(asPrevious)).toEqual(current);
    expect(SNAPSHOT_VERSIONS.write(current, MACHINE_VERSION)).toBe(current);
  });

  it('refuses a future, unversioned or non-integer version, and a malformed body at any version', () => {
    expect(() => SNAPSHOT_VERSIONS.read({ ...snapshotIn('open'), machineVersion: MACHINE_VERSION + 1 })).toThrow(UnknownMachineVersionError);
    expect(() => SNAPSHOT_VERSIONS.read({ value: 'open', context: { attempt: 0, stateSince: T0 } })).toThrow(UnknownMachineVersionError);
    expect(() => SNAPSHOT_VERSIONS.read({ ...snapshotIn('open'), machineVersion: 1.5 })).toThrow(UnknownMachineVersionError);
    expect(() => SNAPSHOT_VERSIONS.read({ ...v1WithoutFlaps, value: 'stopped' })).toThrow(InvalidSnapshotError);
    expect(() => SNAPSHOT_VERSIONS.read({ ...v1WithoutFlaps, context: { attempt: 0 } })).toThrow(InvalidSnapshotError);
    expect(() => SNAPSHOT_VERSIONS.read(null)).toThrow(InvalidSnapshotError);
  });

  it('never writes further back than the previous version, nor forward', () => {
    const current = snapshotIn('open');
    expect(() => SNAPSHOT_VERSIONS.write(current, 0)).toThrow(RangeError);
    expect(() => SNAPSHOT_VERSIONS.write(current, MACHINE_VERSION + 1)).toThrow(RangeError);
  });
});

describe('defining a release\'s versions', () => {
  // A made-up version 3 that renames a field, to prove the chain and the way back.
  const renameAttempt: MigrationStep = {
    up: ({ value, context: { attempt, ...rest } }) => ({ value, context: { ...rest, attempt, tries: attempt } }),
    down: ({ value, context: { tries, ...rest } }) => ({ value, context: { ...rest, attempt: tries } }),
  };
  const flapsStep: MigrationStep = { up: (b) => ({ value: b.value, context: { ...b.context, flaps: b.context.flaps ?? 0 } }), down: (b) => b };

  it('chains every step, so a snapshot several releases old still loads', () => {
    const v3 = defineSnapshotVersions(3, { 2: flapsStep, 3: renameAttempt });
    expect(v3.previous).toBe(2);
    const read = v3.read(v1WithoutFlaps);
    expect(read.machineVersion).toBe(3);
    expect(read.context).toMatchObject({ flaps: 0, tries: 0 });
    expect(v3.write(read, 2)).toMatchObject({ machineVersion: 2, context: { attempt: 0, flaps: 0 } });
    expect(() => v3.write(read, 1)).toThrow(/writes version 2 or 3, not 1/);
  });

  it('refuses a release that lacks a step or has no sane version', () => {
    expect(() => defineSnapshotVersions(3, { 3: renameAttempt })).toThrow(/lacks the migration step to version 2/);
    expect(() => defineSnapshotVersions(0, {})).toThrow(RangeError);
    expect(defineSnapshotVersions(1, {}).previous).toBe(1);
  });
});
