import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpmStart } from '../embedded/support/npm-start';

// `npx lifeline ...` against a running `npm start`, given only what `npm start` was given
// (PORT and LIFELINE_DATA_DIR): it finds the operator token in the data dir by itself.
const RTM_WORKSPACES = 3;
const ACTIVE = RTM_WORKSPACES + 2;
const SLOTS = ['sm:A0LIFESM:0', 'sm:A0LIFESM:1'];
const root = mkdtempSync(join(tmpdir(), 'lifeline-cli-'));
const dataDir = join(root, 'data');
let run: NpmStart;
let port: string;

beforeAll(async () => {
  run = await NpmStart.start({ LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES), LIFELINE_SIM_SM_WORKSPACES: '2', LIFELINE_SIM_FAULTS: 'off' });
  port = new URL(run.url).port;
  await run.waitFor(async () => (await run.status())?.links.open === ACTIVE, 60_000, 'every link to open');
}, 150_000);

afterAll(async () => {
  if (run) await run.interrupt();
  rmSync(root, { recursive: true, force: true });
});

/** `bin/lifeline.js` as npx runs it, with the environment `npm start` had and nothing more. */
function lifeline(args: string[], env: Record<string, string> = { PORT: port, LIFELINE_DATA_DIR: dataDir }): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('LIFELINE_') && key !== 'PORT'));
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/lifeline.js', ...args], { cwd: process.cwd(), env: { ...clean, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const stateOf = async (id: string): Promise<string | undefined> => (await run.links()).find((l) => l.id === id)?.state;

describe('npx lifeline against npm start, with the token from the data dir', () => {
  it('status: links per state and the workers', { timeout: 30_000 }, async () => {
    const { code, stdout } = await lifeline(['status']);
    expect(code).toBe(0);
    expect(stdout).toContain(`embedded Lifeline at http://localhost:${port}`);
    expect(stdout).toMatch(new RegExp(`^open\\s+${ACTIVE}$`, 'm'));
    expect(stdout).toMatch(/^WORKER\s+PID\s+STATE\s+LINKS\s+SHARE\s+STARTED\s+RESTARTS$/m);
    // Two workers, each with its share of the links and an age (no epoch milliseconds).
    expect(stdout.match(/^w\S+\s+\d+\s+\S+\s+\d+\/\d+\s+\d+%\s+\d+[smhd] ago\s+\d+$/gm) ?? [], stdout).toHaveLength(2);
    expect(stdout).not.toMatch(/\d{13}/);

    const json = await lifeline(['status', '--json']);
    expect(json.code).toBe(0);
    const machine = JSON.parse(json.stdout) as { links: Record<string, number>; workers: { workerId: string; startedAt: number }[] };
    expect(machine.links.open).toBe(ACTIVE);
    expect(machine.workers).toHaveLength(2);
    expect(machine.workers.every((w) => Number.isInteger(w.startedAt))).toBe(true);
  });

  it('links: a header, and filters by team, app and owner', { timeout: 30_000 }, async () => {
    const all = await lifeline(['links']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^STATE\s+LINK\s+SINCE\s+ATTEMPT\s+OWNER\s+LAST ERROR$/m);
    expect(all.stdout.match(/^open\s+(rtm|sm):/gm)).toHaveLength(ACTIVE);

    const team = JSON.parse((await lifeline(['links', '--team', 'TSIM0001', '--json'])).stdout) as { id: string }[];
    expect(team.map((r) => r.id)).toEqual(['rtm:A0LIFERTM:TSIM0001']);
    const app = JSON.parse((await lifeline(['links', '--app', 'A0LIFESM', '--json'])).stdout) as { id: string }[];
    expect(app.map((r) => r.id).sort()).toEqual(SLOTS);
    const owner = (await run.links()).find((l) => l.owner)?.owner as string;
    const owned = JSON.parse((await lifeline(['links', '--owner', owner, '--json'])).stdout) as { owner: string }[];
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.length).toBeLessThan(ACTIVE + 1);
    expect(owned.every((r) => r.owner === owner)).toBe(true);
  });

  it('links: every link, filtered by state, as JSON', { timeout: 30_000 }, async () => {
    const { code, stdout } = await lifeline(['links', '--state', 'open', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { id: string; state: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual((await run.links()).map((l) => l.id).sort());
    expect(rows.every((r) => r.state === 'open')).toBe(true);
  });

  it('deactivate <team> parks that workspace; given the app id as a team it parks nothing and points to --app', { timeout: 60_000 }, async () => {
    const team = await lifeline(['deactivate', 'TSIM0001']);
    expect(team.code).toBe(0);
    expect(team.stdout).toContain('rtm:A0LIFERTM:TSIM0001: open → inactive');
    expect(await stateOf('rtm:A0LIFERTM:TSIM0001')).toBe('inactive');

    const appAsTeam = await lifeline(['deactivate', 'A0LIFESM']);
    expect(appAsTeam.code).toBe(1);
    expect(appAsTeam.stderr).toContain('no links of team A0LIFESM (A0LIFESM is an app: `lifeline deactivate --app A0LIFESM`');
    for (const slot of SLOTS) expect(await stateOf(slot)).toBe('open');
  });

  it('deactivate --app parks every Socket Mode slot of the app; reactivate --app brings them back', { timeout: 90_000 }, async () => {
    const parked = await lifeline(['deactivate', '--app', 'A0LIFESM']);
    expect(parked.code).toBe(0);
    for (const slot of SLOTS) expect(parked.stdout).toContain(`${slot}: open → inactive`);
    for (const slot of SLOTS) expect(await stateOf(slot)).toBe('inactive');

    const back = await lifeline(['reactivate', '--app', 'A0LIFESM']);
    expect(back.code).toBe(0);
    for (const slot of SLOTS) expect(back.stdout).toContain(`${slot}: inactive → connecting`);
    await run.waitFor(async () => (await Promise.all(SLOTS.map(stateOf))).every((s) => s === 'open'), 30_000, 'both slots open again').catch(async (error: Error) => {
      // Which slot, and why: its row says the last error (a 429 from Tier 1, a hello timeout);
      // the simulator says which calls the app made, when, and why its sockets closed.
      const rows = (await run.links()).filter((l) => (SLOTS as readonly string[]).includes(l.id));
      const simulatorUrl = (await run.status())?.simulatorUrl;
      const truth = simulatorUrl ? ((await (await fetch(`${simulatorUrl}/_sim/truth?key=A0LIFESM`)).json()) as { apiCalls: unknown; closes: unknown }) : undefined;
      const workerLog = readFileSync(join(dataDir, 'logs', 'workers.log'), 'utf8').split('\n').filter((line) => /A0LIFESM|rebalanc|hand-off/.test(line));
      throw new Error(`${error.message}\nslots: ${JSON.stringify(rows)}\ncalls: ${JSON.stringify(truth?.apiCalls)}\ncloses: ${JSON.stringify(truth?.closes)}\nworkers.log:\n${workerLog.join('\n')}`);
    });
  });

  it('reactivate <team> brings a parked workspace back', { timeout: 60_000 }, async () => {
    await run.waitFor(async () => (await stateOf('rtm:A0LIFERTM:TSIM0002')) === 'open', 10_000, 'TSIM0002 open');
    expect((await lifeline(['deactivate', 'TSIM0002'])).code).toBe(0);
    const back = await lifeline(['reactivate', 'TSIM0002']);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('rtm:A0LIFERTM:TSIM0002: inactive → connecting');
    await run.waitFor(async () => (await stateOf('rtm:A0LIFERTM:TSIM0002')) === 'open', 30_000, 'TSIM0002 open again');
  });

  it('names a stale token (an earlier run\'s, left in a data dir) and changes nothing', { timeout: 30_000 }, async () => {
    const staleDir = join(root, 'earlier-run');
    mkdirSync(staleDir, { mode: 0o700 });
    writeFileSync(join(staleDir, 'operator-token'), 'an-earlier-runs-token-aaaaaaaaaaaaaaaaaaaaaaaaa\n', { mode: 0o600 });
    const before = await run.linkStates();
    const { code, stderr } = await lifeline(['deactivate', 'TSIM0003'], { PORT: port, LIFELINE_DATA_DIR: staleDir });
    expect(code).toBe(1);
    expect(stderr).toContain(`refused the operator token in ${join(staleDir, 'operator-token')}`);
    expect(stderr).toContain('stale');
    expect(await run.linkStates()).toEqual(before);
  });

  it('says where it looked when there is no token (npm start not run with this data dir)', { timeout: 30_000 }, async () => {
    const { code, stderr } = await lifeline(['status'], { PORT: port, LIFELINE_DATA_DIR: join(root, 'never-started') });
    expect(code).toBe(1);
    expect(stderr).toContain(`no operator token at ${join(root, 'never-started', 'operator-token')}`);
  });
});
