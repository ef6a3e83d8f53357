import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpmStart, simPost } from './support/npm-start';

// Issue 15, "A revoked link's socket closes at once": a link parked by another process than the
// worker holding its socket (here the operator, through the parent; an uninstall event takes the
// same write) closes at once, not at the worker's next reconcile, and an event sent to the
// workspace afterwards never reaches the bot. Reconcile is set to 10 minutes for this run, so
// only the fast path (the parent's write tap telling the owning worker) can close it in time.

interface Heard {
  kind: string;
  teamId?: string;
  payload: { type?: string; text?: string; reason?: string; team_id?: string };
}

describe('npm start: a link parked elsewhere closes its socket at once', { timeout: 180_000 }, () => {
  let run: NpmStart;
  let record: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-parked-socket-'));
    record = join(dataDir, 'heard.jsonl');
    run = await NpmStart.start({
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SIM_RTM_WORKSPACES: '2',
      LIFELINE_SIM_SM_WORKSPACES: '0',
      LIFELINE_SIM_FAULTS: 'off',
      LIFELINE_WORKERS: '1',
      LIFELINE_RECONCILE_MS: '600000',
      LIFELINE_HANDLER: resolve('test/embedded/fixtures/lifecycle-recorder.mjs'),
      LIFECYCLE_RECORD: record,
    });
  });

  afterAll(() => run?.kill());

  const heard = (): Heard[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Heard) : []);
  const openNow = async (simulatorUrl: string, teamId: string): Promise<number> =>
    ((await (await fetch(`${simulatorUrl}/_sim/truth?key=${teamId}`)).json()) as { openNow: number }).openNow;
  const said = (teamId: string, text: string) => heard().some((h) => h.teamId === teamId && h.payload.text === text);

  it('the operator parks a workspace: its socket closes long before any reconcile, later events do not reach the bot, the bot hears lifeline_parked', async () => {
    await run.waitFor(async () => (await run.status())?.links.open === 2, 60_000, 'both RTM links open');
    const simulatorUrl = (await run.status())!.simulatorUrl!;
    expect(await openNow(simulatorUrl, 'TSIM0001')).toBe(1);

    const answer = await run.operator('/api/teams/TSIM0001/deactivate', { method: 'POST' });
    expect(answer.status).toBe(200);

    // Simulator truth: Lifeline closed it (the simulator knows nothing of the park).
    await run.waitFor(async () => (await openNow(simulatorUrl, 'TSIM0001')) === 0, 15_000, 'the parked link\'s socket closed');
    expect(await openNow(simulatorUrl, 'TSIM0002')).toBe(1);

    await simPost(simulatorUrl, '/_sim/events', { target: 'TSIM0001', event: { type: 'message', text: 'after the park', channel: 'C0GENERAL' } });
    await simPost(simulatorUrl, '/_sim/events', { target: 'TSIM0002', event: { type: 'message', text: 'control', channel: 'C0GENERAL' } });
    await run.waitFor(async () => said('TSIM0002', 'control'), 15_000, 'the control event delivered');
    expect(said('TSIM0001', 'after the park')).toBe(false);
    expect(heard().filter((h) => h.kind === 'lifeline_parked').map((h) => h.payload)).toEqual([
      expect.objectContaining({ type: 'lifeline_parked', team_id: 'TSIM0001', reason: 'operator' }),
    ]);
  });
});
