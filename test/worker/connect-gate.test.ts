import { afterEach, describe, expect, it } from 'vitest';
import type { SlackApi } from '../../shared/ports';
import { ConnectGate } from '../../functions/worker/connect-gate';
import { waitFor, World } from './harness/world';

/**
 * A worker opens at most `maxConnectsInFlight` sockets at once: the rest wait their turn, so a
 * storm or a cold start does not pile URL calls onto Slack faster than it answers them (on a
 * loaded machine every call then timed out and was answered anyway, a Tier 1 call spent each).
 */
describe('worker, connect attempts in flight', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('asks Slack for at most maxConnectsInFlight socket URLs at once, and opens every link', async () => {
    // Every rtm.connect is held until the test lets it go: what is in flight is what the worker started.
    const held: Array<() => void> = [];
    let inFlight = 0;
    let most = 0;
    const holding = (api: SlackApi): SlackApi =>
      Object.assign(Object.create(api) as SlackApi, {
        rtmConnect: async (token: string) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise<void>((resolve) => held.push(resolve));
          try {
            return await api.rtmConnect(token);
          } finally {
            inFlight -= 1;
          }
        },
      });
    world = await World.start({ wrapSlack: holding });
    const w = world;
    const worker = await w.startWorker({ maxConnectsInFlight: 2 });
    const links = [];
    for (let i = 0; i < 6; i += 1) links.push(await w.addRtmLink());

    // Every link is claimed and either asking Slack or waiting its turn; then one at a time.
    let released = 0;
    while (released < links.length) {
      await waitFor(() => held.length > 0 && held.length + released + worker.connectGate.queued === links.length, 10_000,
        () => `held ${held.length}, released ${released}, queued ${worker.connectGate.queued}`);
      expect(inFlight).toBeLessThanOrEqual(2);
      held.shift()!();
      released += 1;
    }
    for (const { linkId } of links) await w.waitForState(linkId, 'open');
    expect(most).toBe(2);
    expect(w.sim.truth.calls('rtm.connect')).toHaveLength(links.length);
  });
});

describe('ConnectGate', () => {
  it('runs attempts in their turn, and skips one cancelled before its turn', async () => {
    const gate = new ConnectGate(1);
    const order: string[] = [];
    let finishFirst!: () => void;
    const first = gate.run(() => new Promise<string>((resolve) => (finishFirst = () => resolve('a'))));
    let cancelB = false;
    const second = gate.run(async () => { order.push('b'); return 'b'; }, () => cancelB);
    const third = gate.run(async () => { order.push('c'); return 'c'; });
    expect(gate.queued).toBe(2);
    cancelB = true;
    await new Promise((resolve) => setImmediate(resolve)); // the first attempt has started
    finishFirst();
    expect(await Promise.all([first, second, third])).toEqual(['a', undefined, 'c']);
    expect(order).toEqual(['c']);
    expect(gate.inFlight).toBe(0);
  });
});
