import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDetached, previousVersionWriter, rtmLinkId } from '../../shared/app';
import { defineSnapshotVersions, MACHINE_VERSION, SNAPSHOT_VERSIONS, UnknownMachineVersionError } from '../../shared/domain';
import { waitFor, World } from './harness/world';

/**
 * The previous release, as far as snapshots go: it reads and writes version 1 only (the machine
 * itself did not change between the two; only the stored format did, which is what a version is
 * about). Running it as a second definition beside this release's, on one table, is what ECS
 * does during a deploy.
 */
const PREVIOUS_RELEASE = defineSnapshotVersions(MACHINE_VERSION - 1, {});
/** A lease as in production, scaled down: the new worker looks at the heartbeats every LEASE_MS / 4. */
const LEASE_MS = 6_000;

describe('a rolling deploy: an old and a new worker on one table', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  });
  afterAll(async () => world?.stop());

  /** As the HTTP Lambda creates a link: it sees no heartbeats, so it writes the previous version. */
  const addRtmLinkAsLambda = async (): Promise<{ linkId: string; teamId: string }> => {
    const ws = world.sim.addWorkspace();
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    await applyDetached({ ...world.appDeps(), writeVersion: previousVersionWriter() }, linkId, { type: 'CONNECT' });
    return { linkId, teamId: ws.teamId };
  };
  const storedVersions = async (ids: string[]) => Promise.all(ids.map(async (id) => (await world.link(id)).snapshot.machineVersion));

  it('the new worker writes what the old one reads while it lives, and its own version once it left', { timeout: 60_000 }, async () => {
    const old = await world.startWorker({ versions: PREVIOUS_RELEASE, leaseMs: LEASE_MS });
    const links = await Promise.all(Array.from({ length: 4 }, () => addRtmLinkAsLambda()));
    const ids = links.map((l) => l.linkId);
    for (const id of ids) await world.waitForState(id, 'open');
    expect(await storedVersions(ids)).toEqual(ids.map(() => MACHINE_VERSION - 1));

    // The deploy starts the new task beside the old one: the old heartbeat holds it back.
    const fresh = await world.startWorker({ leaseMs: LEASE_MS });
    expect(fresh.snapshotWriteVersion()).toBe(MACHINE_VERSION - 1);
    expect((await world.registry.list()).map((w) => w.machineVersion).sort()).toEqual([MACHINE_VERSION - 1, MACHINE_VERSION]);

    // ECS stops the old task: it drains to the new one, which claims and opens every link and
    // writes each snapshot while the old worker is still registered.
    expect(await old.drain()).toEqual({ handedOff: ids.length, givenUp: 0 });
    for (const id of ids) expect(await world.link(id)).toMatchObject({ owner: fresh.deps.workerId, state: 'open' });
    const written = await Promise.all(ids.map((id) => world.link(id)));
    for (const link of written) {
      expect(link.snapshot.machineVersion).toBe(MACHINE_VERSION - 1);
      // What the old release does with a snapshot it loads: it reads this one.
      expect(PREVIOUS_RELEASE.read(link.snapshot).value).toBe('open');
    }

    // The old task is gone: the next look at the heartbeats lets the new worker write its own version.
    await old.stop();
    await waitFor(async () => fresh.snapshotWriteVersion() === MACHINE_VERSION, LEASE_MS * 2, () => `still writing ${fresh.snapshotWriteVersion()}`);
    for (const { teamId } of links) world.sim.faults.kill({ teamId });
    let stored: number[] = [];
    await waitFor(async () => (stored = await storedVersions(ids)).every((v) => v === MACHINE_VERSION), 15_000, () => `stored versions: ${stored.join(', ')}`);
    for (const id of ids) await world.waitForState(id, 'open');
    const upgraded = await world.link(ids[0]!);
    // The new release reads it; the old one would have refused it, which is why the gate waits.
    expect(SNAPSHOT_VERSIONS.read(upgraded.snapshot).machineVersion).toBe(MACHINE_VERSION);
    expect(() => PREVIOUS_RELEASE.read(upgraded.snapshot)).toThrow(UnknownMachineVersionError);
  });
});
