import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../http/support/browser';
import { NpmStart, simPost, type StatusJson } from './support/npm-start';

const LEASE_MS = 3_000;
const RTM_WORKSPACES = 12;
const SM_SLOTS = 2;
const ACTIVE = RTM_WORKSPACES + SM_SLOTS;
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-e2e-'));
// The bot: a handler module that writes every event it is given to a file.
const botDir = mkdtempSync(join(tmpdir(), 'lifeline-e2e-bot-'));
const botOut = join(botDir, 'events.jsonl');
const botModule = join(botDir, 'bot.mjs');
writeFileSync(botModule, `import { appendFileSync } from 'node:fs';
export default function handleEvents(events) {
  for (const e of events) appendFileSync(${JSON.stringify(botOut)}, JSON.stringify({ id: e.id, protocol: e.protocol, kind: e.kind, teamId: e.teamId, payload: e.payload }) + '\\n');
}
`);
const botEvents = (): { id: string; protocol: string; kind: string; teamId?: string; payload: Record<string, unknown> }[] => {
  try {
    return readFileSync(botOut, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as never);
  } catch {
    return [];
  }
};
const env = {
  LIFELINE_HANDLER: botModule,
  LIFELINE_DATA_DIR: dataDir,
  LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES),
  LIFELINE_SIM_SM_WORKSPACES: '3',
  LIFELINE_SM_SLOTS: String(SM_SLOTS),
  // Faults come from the test, one at a time, so every count it asserts is its own doing.
  LIFELINE_SIM_FAULTS: 'off',
  LIFELINE_LEASE_MS: String(LEASE_MS),
};
const started: NpmStart[] = [];

afterAll(() => {
  for (const run of started) run.kill();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(botDir, { recursive: true, force: true });
});

const counts = async (run: NpmStart): Promise<StatusJson['links'] | undefined> => (await run.status())?.links;

// One `npm start` serves the scenarios in order (each is its own test, so one failure does not
// hide the others); each asserts relative to what it found, so an earlier failure does not
// cascade where the scenarios are independent. The restart comes last: it needs the first run's
// parked and added workspaces.
describe('npm start (simulator mode)', () => {
  let first: NpmStart;
  let status: StatusJson;
  const parkedTeam = 'TSIM0005';
  let addedLinkId: string | undefined;

  beforeAll(async () => {
    first = await NpmStart.start(env);
    started.push(first);
    await first.waitFor(async () => (await counts(first))?.open === ACTIVE, 60_000, `${ACTIVE} open links`);
    console.log(`[embedded e2e] all ${ACTIVE} links open ${Date.now() - first.spawnedAt} ms after \`npm start\` was spawned`);
    status = (await first.status()) as StatusJson;
  }, 150_000);

  it('opens every link with two workers, in simulator mode, with the bot module named', () => {
    expect(status.mode).toBe('simulated');
    expect(status.workers).toHaveLength(2);
    expect(status.links.open).toBe(ACTIVE);
    expect(first.output.join('')).toContain(`bot:           ${botModule}`);
  });

  it('hands Slack events to the bot module once each (RTM and Socket Mode), and acks the envelope', { timeout: 60_000 }, async () => {
    const emit = async (target: string, event: Record<string, unknown>) => {
      const reply = await simPost(status.simulatorUrl!, '/_sim/events', { target, event });
      return ((await reply.json()) as { result: { eventId: string; envelopeId?: string }[] }).result[0]!;
    };
    await emit('TSIM0001', { type: 'message', channel: 'C1', text: 'hello over RTM', ts: '1700000000.000100' });
    const sm = await emit('A0LIFESM', { type: 'app_mention', channel: 'C2', text: 'hello over Socket Mode' });
    await first.waitFor(async () => botEvents().length >= 2, 15_000, 'both events at the bot');
    // Accepted by the bot, so the envelope was acked: Slack will not redeliver it.
    await first.waitFor(async () => {
      const truth = (await (await fetch(`${status.simulatorUrl}/_sim/truth?key=A0LIFESM`)).json()) as { envelopes: { acked: number } };
      return truth.envelopes.acked >= 1;
    }, 10_000, 'the envelope acked');
    // Once acked, a duplicate would already have been handed over: exactly two, once each.
    const seen = botEvents();
    expect(seen).toHaveLength(2);
    expect(seen.find((e) => e.protocol === 'rtm')).toMatchObject({ kind: 'message', teamId: 'TSIM0001', payload: { text: 'hello over RTM' } });
    expect(seen.find((e) => e.protocol === 'socket')).toMatchObject({ kind: 'events_api', payload: { event_id: sm.eventId, event: { text: 'hello over Socket Mode' } } });
    expect((await first.status())?.eventsDelivered).toBe(2);
  });

  it('adds a workspace through "Add to Slack" on the Slack listener: one more RTM link, open', { timeout: 60_000 }, async () => {
    const before = (await counts(first))!.open;
    // At the address `npm start` prints (the OAuth redirect goes back there, with the state cookie).
    const install = await new Browser().visit(`${first.slackUrl}/slack/install`);
    expect(install.status, `${install.hops.join(' -> ')}: ${install.body.slice(0, 300)}`).toBe(200);
    await first.waitFor(async () => (await counts(first))?.open === before + 1, 30_000, 'the added workspace open');
    const added = (await first.links()).find((link) => link.id.startsWith('rtm:') && !link.teamId?.startsWith('TSIM'));
    expect(added?.state).toBe('open');
    addedLinkId = added?.id;
  });

  it('parks a workspace that disables the integration, and keeps the others open', { timeout: 60_000 }, async () => {
    const before = (await counts(first))!;
    await simPost(status.simulatorUrl!, '/_sim/workspace-status', { teamId: parkedTeam, status: 'inactive' });
    await first.waitFor(async () => (await counts(first))?.inactive === before.inactive + 1, 30_000, 'the disabled workspace to park');
    await first.waitFor(async () => (await counts(first))?.open === before.open - 1, 30_000, 'the other links to stay open');
    expect((await first.links()).find((l) => l.teamId === parkedTeam)?.state).toBe('inactive');
  });

  it('survives a SIGKILLed worker: its links open elsewhere within lease + 5 s, and a replacement starts', { timeout: 90_000 }, async () => {
    // The worker holding the most links: no drain, no goodbye.
    const workers = (await first.status())!.workers;
    const victim = [...workers].sort((a, b) => (b.linkCount ?? 0) - (a.linkCount ?? 0))[0]!;
    const held = (await first.links()).filter((link) => link.owner === victim.workerId && link.state === 'open').map((link) => link.id);
    expect(held.length).toBeGreaterThan(0);
    process.kill(victim.pid!, 'SIGKILL');
    const killedAt = Date.now();
    await first.waitFor(async () => {
      const now = new Map((await first.links()).map((link) => [link.id, link]));
      return held.every((id) => now.get(id)?.state === 'open' && now.get(id)?.owner !== victim.workerId);
    }, LEASE_MS + 5_000 + 2_000, `the ${held.length} links of ${victim.workerId} to open elsewhere`);
    const failoverMs = Date.now() - killedAt;
    console.log(`[embedded e2e] ${held.length} links of the killed worker open again after ${failoverMs} ms (lease ${LEASE_MS} ms)`);
    expect(failoverMs).toBeLessThanOrEqual(LEASE_MS + 5_000);
    // The dead worker is replaced, under a new id.
    await first.waitFor(async () => ((await first.status())?.workers ?? []).filter((w) => w.pid !== null && w.state === 'ready').length === 2, 30_000, 'a replacement worker');
  });

  it('resumes the same states after a restart (the parked and the added workspace included), with a new operator token', { timeout: 150_000 }, async () => {
    const before = new Map((await first.links()).map((link) => [link.id, link.state]));
    const firstToken = first.token;
    const output = await first.interrupt();
    expect(output).toContain('Lifeline stopped.');
    // The token went with the run, and was never written to the logs.
    expect(existsSync(join(dataDir, 'operator-token'))).toBe(false);
    for (const log of ['lifeline.log', 'workers.log']) expect(readFileSync(join(dataDir, 'logs', log), 'utf8')).not.toContain(firstToken);

    const second = await NpmStart.start(env);
    started.push(second);
    const live = [...before.values()].filter((state) => state !== 'inactive' && state !== 'revoked').length;
    expect(second.output.join('')).toContain(`${live} links resumed`);
    expect(second.output.join('')).toContain('(+1 added through "Add to Slack")');
    // A new run, a new token: the first run's is refused (what the CLI reports as stale).
    expect(second.token).not.toBe(firstToken);
    expect((await fetch(`${second.url}/status.json`, { headers: { authorization: `Bearer ${firstToken}` } })).status).toBe(401);
    const open = [...before.values()].filter((state) => state === 'open').length;
    await second.waitFor(async () => (await counts(second))?.open === open, 60_000, 'the open links to open again');
    const after = new Map((await second.links()).map((link) => [link.id, link.state]));
    expect(after).toEqual(before);
    expect(after.get(`rtm:A0LIFERTM:${parkedTeam}`)).toBe('inactive');
    // The workspace added in the first run is known to the second run's simulator: still open.
    expect(addedLinkId && after.get(addedLinkId)).toBe('open');
    expect(await second.interrupt()).toContain('Lifeline stopped.');
  });
});
