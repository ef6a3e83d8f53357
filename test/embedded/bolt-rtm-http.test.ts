import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../http/support/browser';
import { NpmStart, simPost } from './support/npm-start';

// The example Bolt app (examples/bolt-app/app.mjs) as a classic (RTM) app under `npm start` in
// simulator mode: messages over its RTM sockets, slash commands and interactivity over HTTP to
// the Request URLs Lifeline serves (`/slack/commands`, `/slack/interactive`), and its Events
// URL (`/slack/events`) set too, so a message arrives both ways. Every verdict is the
// simulator's truth: each HTTP delivery's answer, each Web API call's team and token generation.

const RTM_APP = 'A0LIFERTM';
const TEAM = 'TSIM0001';
const OTHER_TEAM = 'TSIM0002';
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-bolt-rtm-'));

interface Delivery { id: string; type: string; teamId?: string; via: string; acks: number; attempts: number; ackPayload?: unknown; status?: number }
interface ApiCall { method: string; teamId?: string; outcome: string; tokenKind?: string; tokenGeneration?: number; tokenCurrent?: boolean; args?: Record<string, string> }
interface Truth { openNow: number; deliveries: Delivery[]; apiCalls: ApiCall[] }

describe('a classic (RTM) Bolt app on npm start: RTM events, HTTP commands and interactivity', () => {
  let run: NpmStart;
  let sim: string;
  const truth = async (key: string): Promise<Truth> => (await (await fetch(`${sim}/_sim/truth?key=${key}`)).json()) as Truth;
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await simPost(sim, path, body);
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: Record<string, unknown> }).result;
  };
  /** The simulator's record of an HTTP delivery, once Lifeline answered it. */
  const answered = async (id: string): Promise<Delivery> => {
    let found: Delivery | undefined;
    await run.waitFor(async () => {
      found = (await truth(RTM_APP)).deliveries.find((d) => d.id === id && d.status !== undefined);
      return found !== undefined;
    }, 15_000, `the answer to ${id}`);
    return found!;
  };
  const calls = async (key: string, method: string, match: (c: ApiCall) => boolean): Promise<ApiCall[]> =>
    (await truth(key)).apiCalls.filter((c) => c.method === method && match(c));
  const call = async (key: string, method: string, match: (c: ApiCall) => boolean = () => true): Promise<ApiCall> => {
    let found: ApiCall | undefined;
    await run.waitFor(async () => {
      found = (await calls(key, method, match))[0];
      return found !== undefined;
    }, 15_000, `${method} by the bot in ${key}`);
    return found!;
  };
  const message = (teamId: string, channel: string, text: string, ts: string, via: string[]) =>
    post('/_sim/events', { target: { appId: RTM_APP, teamId }, event: { type: 'message', text, user: 'U0SIMUSER', channel, ts }, via });

  beforeAll(async () => {
    run = await NpmStart.start({
      LIFELINE_BOT: 'examples/bolt-app/app.mjs',
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SIM_RTM_WORKSPACES: '2',
      LIFELINE_SIM_SM_WORKSPACES: '1',
      LIFELINE_SIM_FAULTS: 'off',
      LIFELINE_WORKERS: '1',
    });
    sim = (await run.status())!.simulatorUrl!;
    await run.waitFor(async () => (await truth(TEAM)).openNow === 1 && (await truth(OTHER_TEAM)).openNow === 1, 60_000, 'the RTM sockets to open');
    // The classic app's Request URLs, as its developer sets them on api.slack.com: Lifeline's.
    await post('/_sim/app-urls', { appId: RTM_APP, commandsUrl: `${run.slackUrl}/slack/commands`, interactivityUrl: `${run.slackUrl}/slack/interactive` });
    const verified = await post('/_sim/events-url', { appId: RTM_APP, url: `${run.slackUrl}/slack/events` });
    expect(verified).toMatchObject({ ok: true });
    await post('/_sim/channels', { teamId: TEAM, channelId: 'CRTMHTTP', name: 'bolt-http' });
    await post('/_sim/channels', { teamId: TEAM, channelId: 'CRTMMARK', name: 'bolt-marker' });
    await post('/_sim/channels', { teamId: OTHER_TEAM, channelId: 'COTHER', name: 'bolt-other' });
  }, 150_000);
  afterAll(async () => {
    await run?.interrupt();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers /ping over HTTP: the simulator records Lifeline's response pong", async () => {
    const command = await post('/_sim/commands', { appId: RTM_APP, command: '/ping', teamId: TEAM });
    expect(command.via).toBe('http');
    expect(await answered(String(command.id))).toMatchObject({ type: 'slash_commands', via: 'http', teamId: TEAM, status: 200, acks: 1, ackPayload: { text: 'pong' } });
  });

  it('opens a modal with the command\'s trigger and answers its submission with response_action errors', async () => {
    const command = await post('/_sim/commands', { appId: RTM_APP, command: '/feedback', teamId: TEAM });
    const opened = await call(TEAM, 'views.open');
    expect(opened).toMatchObject({ teamId: TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
    const ack = await answered(String(command.id));
    expect(ack.status).toBe(200);
    expect(ack.ackPayload).toBeUndefined();
    const submission = await post('/_sim/interactions', {
      appId: RTM_APP, teamId: TEAM,
      payload: { type: 'view_submission', view: { id: 'VFEEDBACK', type: 'modal', callback_id: 'feedback', state: { values: { feedback_block: { text: { type: 'plain_text_input', value: 'meh' } } } } } },
    });
    expect(submission.via).toBe('http');
    expect((await answered(String(submission.id))).ackPayload).toEqual({ response_action: 'errors', errors: { feedback_block: 'Please write at least 10 characters.' } });
  });

  it("replies to each team's message with that team's current bot token", async () => {
    await message(OTHER_TEAM, 'COTHER', 'hello other team', '1700000300.000100', ['rtm']);
    const posted = await call(OTHER_TEAM, 'chat.postMessage', (c) => c.args?.channel === 'COTHER');
    expect(posted).toMatchObject({ teamId: OTHER_TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
    expect(posted.args?.text).toBe('hi <@U0SIMUSER>');
  });

  it('a message that arrives over RTM and over HTTP reaches the bot once: one reply', async () => {
    const [emitted] = (await post('/_sim/events', {
      target: { appId: RTM_APP, teamId: TEAM }, event: { type: 'message', text: 'hello both ways', user: 'U0SIMUSER', channel: 'CRTMHTTP', ts: '1700000300.000200' }, via: ['rtm', 'http'],
    })) as unknown as { rtmSockets: number; http: boolean; eventId: string }[];
    expect(emitted).toMatchObject({ rtmSockets: 1, http: true });
    const replies = (c: ApiCall) => c.args?.channel === 'CRTMHTTP';
    await call(TEAM, 'chat.postMessage', replies);
    // The HTTP copy was answered (delivered, or found claimed by the RTM copy)...
    await run.waitFor(async () => (await truth(RTM_APP)).deliveries.some((d) => d.type === 'events_api' && d.via === 'http' && d.status === 200), 15_000, 'the HTTP copy answered');
    // ...and the RTM copy was handled before a later message on the same socket got its reply.
    await message(TEAM, 'CRTMMARK', 'hello marker', '1700000300.000300', ['rtm']);
    await call(TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CRTMMARK');
    expect(await calls(TEAM, 'chat.postMessage', replies)).toHaveLength(1);
  });

  it('after an uninstall and a reinstall through "Add to Slack", HTTP commands and replies use the new token', { timeout: 90_000 }, async () => {
    const first = await call(TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CRTMHTTP');
    expect(first.tokenGeneration).toBe(1);
    await post('/_sim/uninstall', { appId: RTM_APP, teamId: TEAM });
    await run.waitFor(async () => (await run.links()).find((l) => l.teamId === TEAM)?.state === 'revoked', 30_000, 'the uninstalled link to be revoked');
    await post('/_sim/authorize', { teamId: TEAM });
    const install = await new Browser().visit(`${run.slackUrl}/slack/install`);
    expect(install.status, `${install.hops.join(' -> ')}: ${install.body.slice(0, 300)}`).toBe(200);
    await run.waitFor(async () => (await truth(TEAM)).openNow === 1 && (await run.links()).find((l) => l.teamId === TEAM)?.state === 'open', 45_000, 'the reinstalled link to open');
    const command = await post('/_sim/commands', { appId: RTM_APP, command: '/ping', teamId: TEAM });
    expect(await answered(String(command.id))).toMatchObject({ status: 200, ackPayload: { text: 'pong' } });
    await message(TEAM, 'CRTMHTTP', 'hello again', '1700000300.000400', ['rtm', 'http']);
    const again = await call(TEAM, 'chat.postMessage', (c) => c.args?.channel === 'CRTMHTTP' && c.tokenGeneration === 2);
    expect(again).toMatchObject({ teamId: TEAM, outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
  });

  it('answered no delivery twice', async () => {
    const deliveries = (await truth(RTM_APP)).deliveries;
    expect(deliveries.filter((d) => d.via === 'http').length).toBeGreaterThanOrEqual(6);
    expect(deliveries.filter((d) => d.acks > 1)).toEqual([]);
  });
});
