import { afterEach, describe, expect, it } from 'vitest';
import type { StoreFault } from '../support/fault-proxy';
import { runFault, startOutageWorld, type OutageWorld } from './support/outage-world';

/**
 * The long outages at full length, 30 s each (ten of the children's leases): the store
 * refusing connections, and a partition that holds every store request without a reset (no
 * answer, no error until the worker's own call timeout). One after the other: two sets of worker
 * processes at once starve each other on a small machine.
 */
describe('worker processes through a 30 s store outage', () => {
  let ow: OutageWorld | undefined;
  const cases: Array<[string, StoreFault]> = [
    ['refused', { kind: 'refuse' }],
    ['held without a reset (a partition)', { kind: 'hold' }],
  ];

  afterEach(async () => {
    // The workers go first, then the proxy, so no request of theirs reaches a closing store.
    for (const child of ow?.world.children ?? []) child.process.kill('SIGKILL');
    await Promise.all((ow?.world.children ?? []).map((c) => c.exited));
    await ow?.proxy.close();
    await ow?.world.stop();
    ow = undefined;
  });

  it.each(cases)('%s: events keep reaching the bot, no socket closed, nothing lost or twice, every link open after', async (name, fault) => {
    ow = await startOutageWorld({ workers: 2, rtmLinks: 4, smSlots: 2 });
    const { tally, recoveredMs } = await runFault(ow, fault, 30_000);

    const errors = ow.workers.flatMap((w) => w.output.filter((l) => l.includes('"level":"error"') || l.includes('socket kept') || l.includes('fenced')).slice(-8));
    expect(tally.closedByLifeline, `${JSON.stringify(ow.world.sim.truth.closes.filter((c) => c.by === 'client').slice(-6))}\n${errors.join('\n')}`).toBe(0);
    expect(tally.rtmLost).toEqual([]);
    expect(tally.smLost).toEqual([]);
    expect(tally.smTwice).toBe(0);
    expect(tally.rtmTwice).toBe(0);
    for (const w of ow.workers) expect(w.process.exitCode).toBeNull();
    console.info(`30 s store fault "${name}": every link open ${recoveredMs} ms after the store answered`);
  }, 150_000);
});
