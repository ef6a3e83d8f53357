import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedProcess } from './embedded-process';

/** A simulator restart with every link open: how long until all are open again, and how many 429s that cost. */
export interface StormResult {
  /** All `links` open again after the restart, in ms; null if not within `timeoutMs`. */
  stormMs: number | null;
  /** Web API calls the simulator answered 429 from the restart until all were open. */
  storm429s: number;
  /** When the restart was asked for (epoch ms): the analysis starts there. */
  restartAt: number;
}

interface ApiCall { at: number; method: string; teamId?: string; outcome: string }

const CONNECT_METHODS = new Set(['rtm.connect', 'apps.connections.open']);

async function apiCalls(simulatorUrl: string): Promise<ApiCall[]> {
  return ((await (await fetch(`${simulatorUrl}/_sim/truth`)).json()) as { apiCalls: ApiCall[] }).apiCalls;
}

const connectCalls = async (simulatorUrl: string): Promise<ApiCall[]> => (await apiCalls(simulatorUrl)).filter((call) => CONNECT_METHODS.has(call.method));
const ratelimited = async (simulatorUrl: string): Promise<number> => (await apiCalls(simulatorUrl)).filter((call) => call.outcome === 'ratelimited').length;

/**
 * The storm on a running embedded system whose `links` links are all open: POST the simulator's
 * restart (every socket dropped, the listener back at once), wait for some link to be down, then
 * for all of them to be open again. 429s are the simulator's count, not the system's.
 */
export async function stormOn(system: EmbeddedProcess, links: number, timeoutMs = 300_000): Promise<StormResult> {
  const { simulatorUrl } = (await system.status())!;
  const before = await ratelimited(simulatorUrl!);
  const restartAt = Date.now();
  await fetch(`${simulatorUrl}/_sim/faults/restart`, { method: 'POST', body: JSON.stringify({ downMs: 0 }), headers: { 'content-type': 'application/json' } });
  await system.until(async () => ((await system.status())?.links.open ?? 0) < links, 30_000);
  const stormMs = await system.until(async () => (await system.status())?.links.open === links, timeoutMs);
  const storm429s = (await ratelimited(simulatorUrl!)) - before;
  return { stormMs, storm429s, restartAt };
}

interface Attempt { at: number; linkId: string; path: string; outcome: string; workerId?: string }

/** The workers' debug lines `connect attempt` (link-runner.ts), from every rotated `workers.log*`. */
function workerAttempts(dataDir: string, since: number): Attempt[] {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return [];
  const out: Attempt[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith('workers.log'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.includes('"connect attempt"')) continue;
      const r = JSON.parse(line) as { startedAt: number; linkId: string; path: string; ok?: boolean; error?: string; unanswered?: boolean; workerId?: string };
      if (r.startedAt < since) continue;
      out.push({ at: r.startedAt, linkId: r.linkId, path: r.path, outcome: r.ok ? 'ok' : `${r.error}${r.unanswered ? '(unanswered)' : ''}`, ...(r.workerId ? { workerId: r.workerId } : {}) });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const count = <T>(items: T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
};

/**
 * Who called Slack for a socket URL during the storm: the simulator's calls per team (a
 * histogram of calls per team and their outcomes) and, for every team with a 429, the sequence of
 * runner paths that asked (from the workers' debug log), with the most common sequences counted.
 */
export async function analyseStorm(simulatorUrl: string, dataDir: string, restartAt: number): Promise<Record<string, unknown>> {
  const calls = (await connectCalls(simulatorUrl)).filter((c) => c.at >= restartAt);
  const byTeam = new Map<string, ApiCall[]>();
  for (const call of calls) byTeam.set(call.teamId ?? '?', [...(byTeam.get(call.teamId ?? '?') ?? []), call]);
  const attempts = workerAttempts(dataDir, restartAt);
  const byLink = new Map<string, Attempt[]>();
  for (const a of attempts) byLink.set(a.linkId, [...(byLink.get(a.linkId) ?? []), a]);
  const limitedTeams = [...byTeam].filter(([, cs]) => cs.some((c) => c.outcome === 'ratelimited')).map(([team]) => team);
  const sequenceOf = (team: string): string => {
    const linkAttempts = [...byLink].find(([id]) => id.endsWith(`:${team}`))?.[1] ?? [];
    return linkAttempts.map((a) => `${a.path}:${a.outcome}`).join(' > ');
  };
  const timelineOf = (team: string) => {
    const linkAttempts = [...byLink].find(([id]) => id.endsWith(`:${team}`))?.[1] ?? [];
    return linkAttempts.map((a) => `+${((a.at - restartAt) / 1000).toFixed(1)}s ${a.path} ${a.workerId ?? ''} ${a.outcome}`);
  };
  return {
    connectCalls: calls.length,
    teamsCalling: byTeam.size,
    callsPerTeam: count([...byTeam.values()], (cs) => String(cs.length)),
    outcomes: count(calls, (c) => c.outcome),
    attemptsByPath: count(attempts, (a) => `${a.path}:${a.outcome}`),
    attemptsPerLink: count([...byLink.values()], (as) => String(as.length)),
    teamsWith429: limitedTeams.length,
    sequencesOf429Teams: count(limitedTeams, sequenceOf),
    examples: limitedTeams.slice(0, 5).map((team) => ({ team, calls: byTeam.get(team)!.map((c) => `+${((c.at - restartAt) / 1000).toFixed(1)}s ${c.outcome}`), attempts: timelineOf(team) })),
  };
}

// `npx tsx bench/embedded/storm.ts [links] [settleMs] [--keep]`: the storm alone, with the analysis.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const keep = process.argv.includes('--keep');
  const links = Number(args[0] ?? 2_000);
  const settleMs = Number(args[1] ?? 30_000);
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-storm-'));
  const log = (m: string) => console.log(`[storm ${new Date().toISOString()}] ${m}`);
  const system = await EmbeddedProcess.start({
    LIFELINE_SIM_SM_WORKSPACES: '0', LIFELINE_SIM_FAULTS: 'off', LIFELINE_WORKERS: '2', LIFELINE_LOG_LEVEL: process.env.STORM_LOG_LEVEL ?? 'debug',
    LIFELINE_DATA_DIR: dir, LIFELINE_SIM_RTM_WORKSPACES: String(links),
  });
  try {
    log(`data dir ${dir}, embedded pid ${system.child.pid}`);
    const opened = await system.until(async () => (await system.status())?.links.open === links, 600_000);
    log(`cold start: ${opened} ms`);
    if (opened !== null) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const result = await stormOn(system, links);
      log(`storm: ${JSON.stringify({ stormMs: result.stormMs, storm429s: result.storm429s })}`);
      if (result.stormMs === null) log(`not recovered: ${JSON.stringify((await system.status())?.links)}`);
      const { simulatorUrl } = (await system.status())!;
      console.log(JSON.stringify(await analyseStorm(simulatorUrl!, dir, result.restartAt), null, 2));
    }
  } finally {
    await system.stop();
    if (keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
