import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RebalanceResult } from '../../bench/embedded/rebalance';

const run = promisify(execFile);

// The rebalancing figures at the quick size (2 × 250 links, a third worker joins): about a
// minute. LIFELINE_BENCH_SMOKE=0 skips it on a busy machine, as the other bench smoke tests.
describe.skipIf(process.env.LIFELINE_BENCH_SMOKE === '0')('npx tsx bench/embedded/rebalance.ts --quick', () => {
  it('prints every rebalancing figure: even, no gap, nothing lost', async () => {
    const { stdout } = await run('npx', ['tsx', 'bench/embedded/rebalance.ts', '--quick'], { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(stdout.slice(stdout.indexOf('{\n'))) as RebalanceResult;
    expect(result.notes.join('\n')).toContain('2 × 250 RTM links');
    expect(result.rebalanceMs).toBeGreaterThan(0);
    expect(result.rebalanceGapMs).toBe(0);
    expect(result.rebalanceLostEvents).toBe(0);
  }, 300_000);
});
