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
    const gate = new ConnectGate({ max: 1, now: () => 0 });
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

  it('halves its bound when Slack does not answer in time, once per second, and grows it back by one per answer', async () => {
    let now = 0;
    const gate = new ConnectGate({ max: 8, min: 1, now: () => now });
    const attempt = (verdict: 'answered' | 'overloaded') => gate.run(async () => verdict, () => false, (v) => v);
    await attempt('overloaded');
    expect(gate.limit).toBe(4);
    await attempt('overloaded'); // the same burst of timeouts
    expect(gate.limit).toBe(4);
    now = 1_000;
    await attempt('overloaded');
    expect(gate.limit).toBe(2);
    await attempt('answered');
    expect(gate.limit).toBe(3);
    for (let i = 0; i < 10; i += 1) await attempt('answered');
    expect(gate.limit).toBe(8);
  });

  it('admits no new attempt above a bound that was cut, and hands each freed slot to the next in line', async () => {
    const gate = new ConnectGate({ max: 2, min: 1, now: () => 0 });
    const finish: Array<() => void> = [];
    const slow = () => gate.run(() => new Promise<'overloaded'>((resolve) => finish.push(() => resolve('overloaded'))), () => false, (v) => v);
    const runs = [slow(), slow(), slow()];
    await new Promise((resolve) => setImmediate(resolve));
    expect([gate.inFlight, gate.queued]).toEqual([2, 1]);
    finish.shift()!(); // a timeout: the bound drops to 1, and one is still running
    await runs[0];
    expect([gate.limit, gate.inFlight, gate.queued]).toEqual([1, 1, 1]);
    finish.shift()!();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect([gate.inFlight, gate.queued]).toEqual([1, 0]);
    finish.shift()!();
    await runs[2];
    expect(gate.inFlight).toBe(0);
  });
});
