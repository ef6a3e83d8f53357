import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../../bench/report/results';
import { resultProblems, SYSTEM_KEYS } from '../../bench/report/validate';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));

// The quick bench takes most of a minute; LIFELINE_BENCH_SMOKE=0 skips it on a busy machine.
describe.skipIf(process.env.LIFELINE_BENCH_SMOKE === '0')('npm run bench -- --quick', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a result for every system with every metric key and its trial count', async () => {
    const out = join(dir, 'results.json');
    const started = Date.now();
    await run('npx', ['tsx', 'bench/run.ts', '--quick', '--out', out], { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 });
    const results = JSON.parse(readFileSync(out, 'utf8')) as { mode: string; systems: Record<string, Record<string, unknown>>; bolt?: unknown };

    expect(results.mode).toBe('quick');
    expect(resultProblems(results)).toEqual([]);
    expect(Object.keys(results.systems).sort()).toEqual([...SYSTEM_KEYS].sort());
    for (const name of SYSTEM_KEYS) expect(Object.keys(results.systems[name] ?? {})).toEqual(expect.arrayContaining([...METRIC_KEYS]));
    expect(results.bolt).toMatchObject({ lifeline: expect.any(Object), boltSocketMode: expect.any(Object), targets: expect.any(Object) });
    // The issue asks for a quick mode under a minute; leave room for a loaded test machine, the
    // security section (~15 s) and the bolt section (~40 s: npm start, then Bolt's own receiver).
    expect(Date.now() - started).toBeLessThan(180_000);
  }, 240_000);
});
