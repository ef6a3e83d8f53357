import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../http/support/browser';
import { NpmStart, simPost } from './support/npm-start';

// The example Bolt app (examples/bolt-app/app.mjs) under `npm start` in simulator mode: every
// verdict is the simulator's truth (each payload's acks and ack payload, each Web API call's
// team and token generation), not anything Lifeline reports about itself.

const SM_APP = 'A0LIFESM';
const RTM_APP = 'A0LIFERTM';
const SM_TEAM = 'TSMW0002';
const RTM_TEAM = 'TSIM0001';
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-bolt-'));

interface Delivery { id: string; type: string; teamId?: string; acks: number; ackPayload?: unknown }
interface ApiCall { method: string; teamId?: string; outcome: string; tokenKind?: string; tokenGeneration?: number; tokenCurrent?: boolean; args?: Record<string, string> }
interface Truth { openNow: number; deliveries: Delivery[]; apiCalls: ApiCall[] }

describe('a Bolt app on npm start (LIFELINE_BOT, simulator mode)', () => {
  let run: NpmStart;
  let sim: string;
  const truth = async (key: string): Promise<Truth> => (await (await fetch(`${sim}/_sim/truth?key=${key}`)).json()) as Truth;
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await simPost(sim, path, body);
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: Record<string, unknown> }).result;
  };
  const delivery = async (id: string): Promise<Delivery> => {
    let found: Delivery | undefined;
    await run.waitFor(async () => {
      found = (await truth(SM_APP)).deliveries.find((d) => d.id === id && d.acks > 0);
      return found !== undefined;
    }, 15_000, `the ack of ${id}`);
    return found!;
  };
  const call = async (key: string, method: string, match: (c: ApiCall) => boolean = () => true): Promise<ApiCall> => {
    let found: ApiCall | undefined;
    await run.waitFor(async () => {
      found = (await truth(key)).apiCalls.find((c) => c.method === method && match(c));
      return found !== undefined;
    }, 15_000, `${method} by the bot in ${key}`);
    return found!;
  };

  beforeAll(async () => {
    run = await NpmStart.start({
      LIFELINE_BOT: 'examples/bolt-app/app.mjs',
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SIM_RTM_WORKSPACES: '2',
      LIFELINE_SIM_SM_WORKSPACES: '2',
      LIFELINE_SIM_FAULTS: 'off',
      LIFELINE_WORKERS: '1',
    });
    sim = (await run.status())!.simulatorUrl!;
    await run.waitFor(async () => (await truth(SM_APP)).openNow >= 1 && (await truth(RTM_TEAM)).openNow === 1, 60_000, 'the sockets to open');
  }, 150_000);
  afterAll(async () => {
    await run?.interrupt();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the bot it runs', () => {
    expect(run.output.join('')).toContain('examples/bolt-app/app.mjs (a Bolt app in its own process');
  });

  it("answers /ping in the command's ack: the simulator records the payload pong", async () => {
    const command = await post('/_sim/commands', { appId: SM_APP, command: '/ping', teamId: SM_TEAM });
    const answered = await delivery(String(command.id));
    expect(answered).toMatchObject({ type: 'slash_commands', teamId: SM_TEAM, acks: 1, ackPayload: { text: 'pong' } });
  });

  it("opens a modal with the command's trigger and refuses its submission with response_action errors", async () => {
    const command = await post('/_sim/commands', { appId: SM_APP, command: '/feedback', teamId: SM_TEAM });
    const opened = await call(SM_TEAM, 'views.open');
    expect(opened).toMatchObject({ teamId: SM_TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
    expect((await delivery(String(command.id))).ackPayload).toBeUndefined();
    const submission = await post('/_sim/interactions', {
      appId: SM_APP, teamId: SM_TEAM,
      payload: { type: 'view_submission', view: { id: 'VFEEDBACK', type: 'modal', callback_id: 'feedback', state: { values: { feedback_block: { text: { type: 'plain_text_input', value: 'meh' } } } } } },
    });
    expect((await delivery(String(submission.id))).ackPayload).toEqual({ response_action: 'errors', errors: { feedback_block: 'Please write at least 10 characters.' } });
  });

  it("replies to a Socket Mode message with say(), using that team's current bot token", async () => {
    await post('/_sim/channels', { teamId: SM_TEAM, channelId: 'CBOLTSM', name: 'bolt' });
    await post('/_sim/events', { target: { appId: SM_APP, teamId: SM_TEAM }, event: { type: 'message', text: 'hello there', user: 'U0SIMUSER', channel: 'CBOLTSM', ts: '1700000000.000100' }, via: ['socket_mode'] });
    const posted = await call(SM_TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CBOLTSM');
    expect(posted).toMatchObject({ teamId: SM_TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
    expect(posted.args?.text).toBe('hi <@U0SIMUSER>');
  });

  it('replies to an RTM message too: the bare RTM event reaches Bolt as an event_callback of its team', async () => {
    await post('/_sim/channels', { teamId: RTM_TEAM, channelId: 'CBOLTRTM', name: 'bolt' });
    await post('/_sim/events', { target: { appId: RTM_APP, teamId: RTM_TEAM }, event: { type: 'message', text: 'hello rtm', user: 'U0SIMUSER', channel: 'CBOLTRTM', ts: '1700000000.000200' }, via: ['rtm'] });
    const posted = await call(RTM_TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CBOLTRTM');
    expect(posted).toMatchObject({ teamId: RTM_TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
  });

  it('publishes the App Home view when app_home_opened arrives', async () => {
    await post('/_sim/events', { target: { appId: SM_APP, teamId: SM_TEAM }, event: { type: 'app_home_opened', user: 'U0SIMUSER', channel: 'D0HOME', tab: 'home' }, via: ['socket_mode'] });
    expect(await call(SM_TEAM, 'views.publish')).toMatchObject({ teamId: SM_TEAM, outcome: 'ok', tokenCurrent: true });
  });

  it('after an uninstall and a reinstall through "Add to Slack", say() uses the new token', { timeout: 90_000 }, async () => {
    const first = await call(RTM_TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CBOLTRTM');
    expect(first.tokenGeneration).toBe(1);
    await post('/_sim/uninstall', { appId: RTM_APP, teamId: RTM_TEAM });
    await run.waitFor(async () => (await run.links()).find((l) => l.teamId === RTM_TEAM)?.state === 'revoked', 30_000, 'the uninstalled link to be revoked');
    // The simulator's authorize page grants the next install to this team: a new token for it.
    await post('/_sim/authorize', { teamId: RTM_TEAM });
    const install = await new Browser().visit(`${run.slackUrl}/slack/install`);
    expect(install.status, `${install.hops.join(' -> ')}: ${install.body.slice(0, 300)}`).toBe(200);
    await run.waitFor(async () => (await truth(RTM_TEAM)).openNow === 1 && (await run.links()).find((l) => l.teamId === RTM_TEAM)?.state === 'open', 45_000, 'the reinstalled link to open');
    await post('/_sim/events', { target: { appId: RTM_APP, teamId: RTM_TEAM }, event: { type: 'message', text: 'hello again', user: 'U0SIMUSER', channel: 'CBOLTRTM', ts: '1700000000.000300' }, via: ['rtm'] });
    const again = await call(RTM_TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CBOLTRTM' && c.tokenGeneration === 2);
    expect(again).toMatchObject({ teamId: RTM_TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
  });

  it('acked no envelope twice', async () => {
    const deliveries = (await truth(SM_APP)).deliveries;
    expect(deliveries.length).toBeGreaterThanOrEqual(5);
    expect(deliveries.filter((d) => d.acks > 1)).toEqual([]);
  });
});
