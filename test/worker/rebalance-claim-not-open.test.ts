import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent } from '../../shared/app';
import type { ClaimLink } from '../../shared/ports';
import { waitFor, World } from './harness/world';

/**
 * A hand-off whose link stops being open before the taker claims it: here an operator disables
 * it between the giver's offer and the taker's claim. The claim states `open`, so it is refused:
 * a taker that claimed whatever the state would own an inactive link and hold a socket for it.
 */
describe('a hand-off whose link is no longer open when the taker claims it', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  });
  afterAll(async () => world?.stop());

  it('is refused: the taker neither owns the link nor keeps a socket for it', { timeout: 60_000 }, async () => {
    // The drain waits for a claim that never lands (it was refused): 3 s of it is enough here.
    const giver = await world.startWorker({ rebalanceMovesPerMinute: 0, drainTimeoutMs: 3_000 });
    const { linkId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');
    const taker = await world.startWorker({ rebalanceMovesPerMinute: 0 });
    await waitFor(async () => (await world.registry.list()).length === 2, 10_000);

    const store = world.links;
    const claim = store.claim.bind(store);
    let claims = 0;
    store.claim = async (request: ClaimLink) => {
      if (request.id === linkId && request.owner === taker.deps.workerId && claims++ === 0) {
        // the store change alone: what matters is the state the claim meets
        await applyEvent(world.appDeps(), linkId, { type: 'DISABLED', reason: 'operator' });
      }
      return claim(request);
    };

    await giver.drain();
    expect(claims).toBeGreaterThan(0);
    const link = await world.link(linkId);
    expect(link.state).toBe('inactive');
    expect(link.owner).not.toBe(taker.deps.workerId);
    await waitFor(() => taker.runners.get(linkId)?.hasOpenSocket !== true, 10_000, () => 'the taker still holds a socket for an inactive link');
    expect(taker.runners.has(linkId)).toBe(false);
  });
});
