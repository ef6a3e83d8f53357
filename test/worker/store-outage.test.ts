import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreFault } from '../support/fault-proxy';
import { CHILD_LEASE_MS, runFault, startOutageWorld, type OutageWorld } from './support/outage-world';

/**
 * Degrade, don't drop: two real worker processes whose store sits behind a fault proxy, RTM
 * links and a Socket Mode pool, events flowing throughout. Each fault lasts several leases (the
 * children's lease is 3 s, so 10 s here is what a minute is at the default 20 s lease: past every
 * deadline the old rule had). Longer outages: `store-outage-long.test.ts`.
 */
describe('worker processes while the store is away', () => {
  let ow: OutageWorld;

  beforeAll(async () => {
    ow = await startOutageWorld({ workers: 2, rtmLinks: 6, smSlots: 2 });
  }, 60_000);
  afterAll(async () => {
    // The workers go first, then the proxy, so no request of theirs reaches a closing store.
    for (const child of ow?.world.children ?? []) child.process.kill('SIGKILL');
    await Promise.all((ow?.world.children ?? []).map((c) => c.exited));
    await ow?.proxy.close();
    await ow?.world.stop();
  });

  const cases: Array<[string, StoreFault, number]> = [
    ['unreachable (connections refused)', { kind: 'refuse' }, 10_000],
    ['slow: every call 2 s late', { kind: 'latency', ms: 2_000 }, 10_000],
    ['throttling every write', { kind: 'throttle-writes' }, 10_000],
  ];

  it.each(cases)('%s: no socket closed, nothing lost or twice, every link open after', async (_name, fault, durationMs) => {
    expect(durationMs).toBeGreaterThan(3 * CHILD_LEASE_MS);
    const { tally, recoveredMs } = await runFault(ow, fault, durationMs);

    expect(tally.closedByLifeline).toBe(0);
    expect(tally.rtmLost).toEqual([]);
    expect(tally.smLost).toEqual([]);
    expect(tally.smTwice).toBe(0);
    expect(tally.rtmTwice).toBe(0);
    // Both workers lived through it: neither fenced itself nor was replaced.
    for (const w of ow.workers) {
      expect(w.process.exitCode).toBeNull();
      expect(w.output.some((line) => line.includes('worker fenced itself'))).toBe(false);
    }
    console.info(`store fault "${_name}" for ${durationMs} ms: every link open ${recoveredMs} ms after the store answered`);
  }, 60_000);
});
