import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';

/**
 * `apps.connections.open` is Tier 1 per app, shared by all of the app's slots: rebalancing moves
 * RTM links at once but leaves a Socket Mode slot where it is for a minute after its connect, so
 * a cold start one worker took most of does not spend the app's burst on moves (`npm start`'s
 * 2 slots + 2 moves + 2 reactivations were 6 calls against a burst of 4).
 */
describe('rebalancing and the Socket Mode app budget', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  });
  afterAll(async () => world?.stop());

  it('moves the RTM links a newcomer needs, not the slots that just connected', { timeout: 60_000 }, async () => {
    const options = { rebalanceIntervalMs: 100, heartbeatMs: 200, leaseMs: 2_000 };
    const first = await world.startWorker(options);
    // The slots first: the rebalancer's candidates come in the order the runners were made.
    const app = await world.addSocketModeApp(2);
    const rtm = [await world.addRtmLink(), await world.addRtmLink()];
    for (const linkId of [...app.linkIds, ...rtm.map((l) => l.linkId)]) await world.waitForState(linkId, 'open');
    expect(first.runners.size).toBe(4);

    const second = await world.startWorker(options);
    // Even: 2 and 2, with the RTM links on the newcomer.
    await waitFor(() => second.runners.size === 2 && first.runners.size === 2, 20_000, () => `held ${first.runners.size} / ${second.runners.size}`);
    for (const { linkId } of rtm) expect(second.runners.get(linkId)?.hasOpenSocket).toBe(true);
    for (const linkId of app.linkIds) expect(first.runners.get(linkId)?.hasOpenSocket).toBe(true);
    expect(world.sim.truth.calls('apps.connections.open', app.appId)).toHaveLength(2);
    expect(world.sim.truth.maxOpen(app.appId)).toBe(2);
  });
});
