import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpmStart, type StatusJson } from './support/npm-start';

// `LIFELINE_WORKERS` changed between two runs of `npm start` on the same data dir: the second
// run's workers end with an even share of the links the first run left (links held / capacity
// on the status page); and a worker the pool replaces, starting empty, gets its share.
const root = mkdtempSync(join(tmpdir(), 'lifeline-rebalance-'));
const dataDir = join(root, 'data');
const LINKS = 30;
let run: NpmStart | undefined;

afterAll(async () => {
  if (run) await run.interrupt();
  rmSync(root, { recursive: true, force: true });
});

type Worker = StatusJson['workers'][number] & { capacity?: number };

describe('embedded: a new worker count rebalances at start', () => {
  it('one worker, then three: each ends within ±10 % of a third, and so does a replacement that starts empty', { timeout: 300_000 }, async () => {
    const env = { LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: String(LINKS), LIFELINE_SIM_SM_WORKSPACES: '0', LIFELINE_SIM_FAULTS: 'off' };
    const first = await NpmStart.start({ ...env, LIFELINE_WORKERS: '1' });
    run = first;
    await first.waitFor(async () => (await first.status())?.links.open === LINKS, 120_000, 'every link to open on one worker');
    await first.interrupt();
    run = undefined;

    const second = await NpmStart.start({ ...env, LIFELINE_WORKERS: '3' });
    run = second;
    let workers: Worker[] = [];
    const share = LINKS / 3;
    await second.waitFor(async () => {
      const status = await second.status();
      workers = (status?.workers ?? []) as Worker[];
      return status?.links.open === LINKS && workers.length === 3 && workers.every((w) => Math.abs((w.linkCount ?? 0) - share) <= share * 0.1);
    }, 180_000, 'three workers with an even share').catch((error: unknown) => {
      throw new Error(`${String(error)}\nworkers: ${JSON.stringify(workers)}`);
    });
    // The page's numbers: links held against each worker's capacity.
    for (const w of workers) expect(w.capacity).toBe(5_000);
    expect(workers.reduce((sum, w) => sum + (w.linkCount ?? 0), 0)).toBe(LINKS);

    // Three workers starting together often share the reconnecting links evenly by themselves;
    // a worker that comes back empty never would: one dies, the other two take its links, the
    // pool forks its replacement, and rebalancing gives it its share.
    const victim = workers[0] as Worker;
    process.kill(victim.pid as number, 'SIGKILL');
    await second.waitFor(async () => {
      const status = await second.status();
      workers = (status?.workers ?? []) as Worker[];
      return workers.length === 3 && !workers.some((w) => w.workerId === victim.workerId) && workers.every((w) => w.pid !== null);
    }, 60_000, 'the replacement worker').catch((error: unknown) => {
      throw new Error(`${String(error)}\nworkers: ${JSON.stringify(workers)}`);
    });
    await second.waitFor(async () => {
      const status = await second.status();
      workers = (status?.workers ?? []) as Worker[];
      return status?.links.open === LINKS && workers.length === 3 && workers.every((w) => Math.abs((w.linkCount ?? 0) - share) <= share * 0.1);
    }, 120_000, 'an even share again, the replacement included').catch((error: unknown) => {
      throw new Error(`${String(error)}\nworkers: ${JSON.stringify(workers)}`);
    });
  });
});
