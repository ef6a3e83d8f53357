import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmfFleetMetrics } from '../../shared/adapters/cloudwatch';
import { Worker } from '../../functions/worker/worker';
import { waitFor, World } from './harness/world';

/**
 * The autoscaler's input from a real worker holding real sockets to the simulator: what it
 * reports as held is what the simulator has open, under the fleet dimension only, with no token
 * in the line; a draining worker reports nothing (its capacity is leaving the fleet).
 */
describe('worker fleet metrics', () => {
  let world: World;
  const lines: string[] = [];
  let worker: Worker;

  beforeAll(async () => {
    world = await World.start();
    const fleetMetrics = new EmfFleetMetrics({ write: (line) => lines.push(line), fleet: 'links-table' });
    worker = new Worker({ ...world.workerDeps('w-fleet'), fleetMetrics }, { receiveWaitMs: 200, reconcileMs: 60_000, capacity: 40 });
    await worker.start();
    world.workers.push(worker);
  });
  afterAll(async () => world?.stop());

  it('reports links held against its capacity, as the simulator sees them, and never a token', async () => {
    const links = [await world.addRtmLink(), await world.addRtmLink(), await world.addRtmLink()];
    for (const { linkId } of links) await world.waitForState(linkId, 'open');
    await waitFor(() => links.every(({ teamId }) => world.sim.truth.openNow(teamId) === 1), 5_000);

    worker.reportLinks();

    const report = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    const openOnSimulator = links.filter(({ teamId }) => world.sim.truth.openNow(teamId) === 1).length;
    expect(report).toMatchObject({ Fleet: 'links-table', LinksHeld: openOnSimulator, Capacity: 40 });
    expect(report).not.toHaveProperty('WorkerId');
    for (const { botToken } of links) expect(lines.join('\n')).not.toContain(botToken);
    expect(lines.join('\n')).not.toMatch(/xox[abepr]-|xapp-/);
  });

  it('reports nothing while it drains (scale-in): its capacity is leaving, its links go to a peer', async () => {
    await world.startWorker({ capacity: 40 });
    const before = lines.length;
    const drained = worker.drain();
    await waitFor(() => worker.state === 'draining', 5_000);
    worker.reportLinks();
    const result = await drained;
    worker.reportLinks();

    expect(result.handedOff).toBe(3);
    expect(lines).toHaveLength(before);
  });
});
