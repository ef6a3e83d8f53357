import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpmStart } from './support/npm-start';

// A crash, then a restart: the crashed run's logs are still there (`*.log.1`), and EMF metric
// lines went to `metrics.log`, not into the workers' log.
const root = mkdtempSync(join(tmpdir(), 'lifeline-logs-'));
const dataDir = join(root, 'data');
const logs = join(dataDir, 'logs');
const ACTIVE = 3 + 1;
let run: NpmStart | undefined;

afterAll(async () => {
  if (run) await run.interrupt();
  rmSync(root, { recursive: true, force: true });
});

const read = (name: string): string => readFileSync(join(logs, name), 'utf8');
const workerIds = async (r: NpmStart): Promise<string[]> => ((await r.status()) as unknown as { workers: { workerId: string }[] }).workers.map((w) => w.workerId);

describe('embedded logs across a crash and a restart', () => {
  it('keeps the previous run\'s logs and writes metrics to their own file', { timeout: 240_000 }, async () => {
    const env = { LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: '3', LIFELINE_SIM_SM_WORKSPACES: '1', LIFELINE_SM_SLOTS: '1', LIFELINE_SIM_FAULTS: 'off' };
    const first = await NpmStart.start(env);
    run = first;
    await first.waitFor(async () => (await first.status())?.links.open === ACTIVE, 60_000, 'every link to open');
    const firstWorkers = await workerIds(first);
    // The workers have written their log lines and at least one metric (connects are counted).
    await first.waitFor(async () => firstWorkers.every((id) => read('workers.log').includes(id)) && read('metrics.log').includes('"_aws"'), 30_000, 'worker lines and a metric');
    expect(read('workers.log')).not.toContain('"_aws"');

    // A crash: SIGKILL to the whole group, nothing flushed on the way out.
    first.kill();
    await first.exited;
    // The parent may have logged nothing at info by now: its file is compared whole, whatever it holds.
    const crashedLifelineLog = read('lifeline.log');
    const crashedWorkersLog = read('workers.log');

    const second = await NpmStart.start(env);
    run = second;
    await second.waitFor(async () => (await second.status())?.links.open === ACTIVE, 60_000, 'every link to open again');
    const secondWorkers = await workerIds(second);
    expect(secondWorkers).not.toEqual(firstWorkers);

    // The crashed run's files rolled to `.1`, whole; the new run writes fresh files.
    expect(read('lifeline.log.1')).toBe(crashedLifelineLog);
    expect(read('workers.log.1').startsWith(crashedWorkersLog)).toBe(true);
    for (const id of firstWorkers) expect(read('workers.log.1')).toContain(id);
    expect(read('metrics.log.1')).toContain('"_aws"');
    await second.waitFor(async () => secondWorkers.every((id) => read('workers.log').includes(id)), 30_000, 'the new workers\' lines');
    expect(read('workers.log')).not.toContain('"_aws"');
    expect(existsSync(join(logs, 'workers.log.2'))).toBe(false);
  });
});
