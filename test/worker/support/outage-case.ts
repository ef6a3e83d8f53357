import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreFault } from '../../support/fault-proxy';
import { CHILD_LEASE_MS, runFault, startOutageWorld, type OutageTally, type OutageWorld } from './outage-world';

/** The workers go first, then the proxy, so no request of theirs reaches a closing store. */
export async function stopOutageWorld(ow: OutageWorld | undefined): Promise<void> {
  for (const child of ow?.world.children ?? []) child.process.kill('SIGKILL');
  await Promise.all((ow?.world.children ?? []).map((c) => c.exited));
  await ow?.proxy.close();
  await ow?.world.stop();
}

/**
 * What every store fault must show (issue 15): no socket closed by Lifeline, no event lost, no
 * Socket Mode payload twice, no RTM event twice (no link changes hands while the store is away,
 * so there is no make-before-break overlap to excuse one), both workers alive and unfenced.
 * Every link open again, on one socket each, is `runFault`'s own wait.
 */
export function expectNothingDropped(ow: OutageWorld, tally: OutageTally): void {
  const errors = ow.workers.flatMap((w) => [
    ...w.output.filter((l) => l.includes('"worker fenced itself"')),
    ...w.output.filter((l) => l.includes('"level":"error"') || l.includes('socket kept') || l.includes('store unreachable')).slice(-8),
  ]);
  expect(tally.closedByLifeline, `${JSON.stringify(ow.world.sim.truth.closes.filter((c) => c.by === 'client').slice(-6))}\n${errors.join('\n')}`).toBe(0);
  expect(tally.rtmLost).toEqual([]);
  expect(tally.smLost).toEqual([]);
  expect(tally.smTwice).toBe(0);
  expect(tally.rtmTwice).toBe(0);
  for (const w of ow.workers) {
    expect(w.process.exitCode).toBeNull();
    expect(w.output.some((line) => line.includes('worker fenced itself'))).toBe(false);
  }
}

/**
 * One store fault at full length in a file of its own: vitest runs files side by side and each
 * file's world (store, simulator, worker processes) is its own, so a minute-long fault costs the
 * suite a minute of one of its slots, not a minute added to every other fault's.
 */
export function storeFaultCase(name: string, fault: StoreFault, durationMs: number, shape: { rtmLinks?: number; smSlots?: number; leaseMs?: number; heartbeatMs?: number } = {}): void {
  const leaseMs = shape.leaseMs ?? CHILD_LEASE_MS;
  const env: Record<string, string> = shape.leaseMs ? { LIFELINE_LEASE_MS: String(shape.leaseMs), LIFELINE_HEARTBEAT_MS: String(shape.heartbeatMs ?? Math.floor(shape.leaseMs / 4)) } : {};
  describe(`worker processes through a store fault: ${name}`, () => {
    let ow: OutageWorld | undefined;
    beforeAll(async () => {
      ow = await startOutageWorld({ workers: 2, rtmLinks: shape.rtmLinks ?? 4, smSlots: shape.smSlots ?? 2, env });
    }, 60_000);
    afterAll(async () => stopOutageWorld(ow));

    it(`${name} for ${durationMs / 1_000} s: events keep reaching the bot, no socket closed, nothing lost or twice, every link open after`, { timeout: durationMs + 90_000 }, async () => {
      expect(durationMs).toBeGreaterThanOrEqual(3 * leaseMs);
      const { tally, recoveredMs } = await runFault(ow!, fault, durationMs);
      expectNothingDropped(ow!, tally);
      console.info(`store fault "${name}" for ${durationMs} ms: every link open ${recoveredMs} ms after the store answered; proxy ${JSON.stringify(ow!.proxy.counts)}`);
    });
  });
}
