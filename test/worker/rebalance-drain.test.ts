import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLinksIn } from '../../shared/app';
import type { ChildWorker } from './harness/child-worker';
import { waitFor, World } from './harness/world';
import { socketCoverage } from '../support/socket-coverage';
import { LOADED_MACHINE_LIVENESS_ENV } from './harness/loaded-liveness-env';

/**
 * A drain whose hand-offs fail at first still leaves no link without a socket: real worker
 * processes, the simulator refusing the taker's first socket for some links (a 408 on the
 * upgrade, as Slack has answered). The taker drops those hand-offs; the drainer keeps each
 * socket open and sends the hand-off again until it is taken. Before, a failed hand-off was
 * never tried again: the drainer held the link until its deadline, then gave it up to the
 * restart workflow, a gap of one reconnect (what left 9 links 5-8 s without a socket at 2,000).
 * Rebalancing off: only the drain moves links here.
 */
const LINKS = 30;
const REFUSED = 5;
const ENV = {
  ...LOADED_MACHINE_LIVENESS_ENV,
  LIFELINE_DRAIN_TIMEOUT_MS: '20000',
  LIFELINE_REBALANCE_MOVES_PER_MINUTE: '0',
  LIFELINE_LOG_LEVEL: 'info',
};

describe('a drain hands every link over make-before-break, even when hand-offs fail', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  const owners = () => world.openLinksByOwner();

  it('sends a hand-off the taker could not take again, and gives up no link', { timeout: 120_000 }, async () => {
    const workers = [await world.forkWorker(ENV), await world.forkWorker(ENV)];
    const teams: string[] = [];
    for (let i = 0; i < LINKS; i++) teams.push((await world.addRtmLink()).teamId);
    const everyTeamOnce = () => teams.every((team) => world.sim.truth.openNow(team) === 1);
    await waitFor(async () => everyTeamOnce() && (await allLinksIn(world.links, ['open'])).length === LINKS, 60_000, () => 'not all open');
    const before = await owners();
    const [leaving, staying] = [...workers].sort((a, b) => (before.get(b.workerId) ?? 0) - (before.get(a.workerId) ?? 0)) as [ChildWorker, ChildWorker];
    expect(before.get(leaving.workerId) ?? 0).toBeGreaterThanOrEqual(REFUSED);

    // The next sockets opened (only the taker's, for the drain's hand-offs) are refused.
    const drainedAt = Date.now();
    world.sim.faults.refuseUpgrades({ protocol: 'rtm', count: REFUSED }, 408);
    leaving.process.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    await waitFor(async () => everyTeamOnce() && (await owners()).get(staying.workerId) === LINKS, 30_000, () => 'the staying worker never held every link on one socket each');
    const coverage = socketCoverage(world.sim.truth, teams, drainedAt, Date.now());

    expect(coverage.gaps).toEqual([]);
    expect(coverage.maxConcurrent).toBeLessThanOrEqual(2);
    expect(Math.max(...coverage.swaps.values())).toBeLessThanOrEqual(1);
    // The fault did happen, and the drain answered it by sending again, not by giving up.
    const refused = world.sim.truth.socketConnects.filter((c) => c.at >= drainedAt && c.outcome === 'refused').length;
    expect(refused).toBe(REFUSED);
    expect(leaving.output.find((line) => line.includes('"worker drained"'))).toContain('"givenUp":0');
    expect(leaving.output.some((line) => line.includes('hand-offs not taken yet, sent again'))).toBe(true);
  });
});
