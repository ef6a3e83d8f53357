import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimLink } from '../../shared/ports';
import { socketCoverage } from '../support/socket-coverage';
import { waitFor, World } from './harness/world';

/**
 * A take-over whose claim is not answered, and lands later: what a saturated store does (the
 * call times out on the client, the write is applied after). The taker must keep its socket
 * until it knows: a read made before the late write lands says "not ours", and a taker that
 * believed it closed its socket while the giver, seeing the link moved, closed its own (links
 * 1-43 s without a socket in a 2,000-link run, until the orphan repair).
 */
describe('a hand-off whose claim times out and lands later', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  });
  afterAll(async () => world?.stop());

  it('keeps the taker socket open and the link on one socket at all times', { timeout: 60_000 }, async () => {
    const giver = await world.startWorker({ rebalanceMovesPerMinute: 0 });
    const { linkId, teamId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');
    const taker = await world.startWorker({ rebalanceMovesPerMinute: 0 });
    await waitFor(async () => (await world.registry.list()).length === 2, 10_000);

    // The taker's first claim of this link: no answer (a timeout), the write landing 500 ms later.
    const store = world.links;
    const claim = store.claim.bind(store);
    let late: Promise<unknown> | undefined;
    store.claim = async (request: ClaimLink) => {
      if (request.id !== linkId || request.owner !== taker.deps.workerId) return claim(request);
      store.claim = claim;
      late = new Promise((resolve) => setTimeout(resolve, 500)).then(() => claim(request)).catch((error: unknown) => error);
      throw Object.assign(new Error('a request has exceeded the configured 3000 ms requestTimeout'), { name: 'TimeoutError' });
    };

    const from = Date.now();
    expect(await giver.drain()).toEqual({ handedOff: 1, givenUp: 0 });
    expect(late).toBeDefined();
    await late;
    await waitFor(() => world.sim.truth.openNow(teamId) === 1, 10_000, () => `${world.sim.truth.openNow(teamId)} sockets`);
    expect(await world.link(linkId)).toMatchObject({ owner: taker.deps.workerId, state: 'open' });
    const coverage = socketCoverage(world.sim.truth, [teamId], from, Date.now());
    expect(coverage.gaps).toEqual([]);
    expect(coverage.maxConcurrent).toBeLessThanOrEqual(2);
    expect(taker.runners.get(linkId)?.hasOpenSocket).toBe(true);
  });
});
