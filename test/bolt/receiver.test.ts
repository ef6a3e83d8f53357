import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { installLifelineRuntime, LifelineReceiver, resetLifelineRuntime, type BotAuthorizationQuery, type LifelineRuntime, type PayloadHandler } from '../../functions/bolt';
import type { SinkEvent } from '../../shared/ports';

/** A runtime as the bot process has one, with the parent replaced by what the test says. */
function fakeRuntime() {
  const queries: BotAuthorizationQuery[] = [];
  const deleted: BotAuthorizationQuery[] = [];
  let handler: PayloadHandler | undefined;
  const runtime: LifelineRuntime = {
    slackApiUrl: 'http://127.0.0.1:9/api/',
    authorize: async (query) => {
      queries.push(query);
      if (query.teamId === 'TPARKED') throw new Error('team TPARKED is parked (app_uninstalled)');
      return { botToken: `xoxb-test-${query.teamId}`, botUserId: 'UBOT', botId: 'BBOT', teamId: query.teamId!, tokenVersion: 3 };
    },
    fetchInstallation: async (query) => ({ appId: 'A1', teamId: query.teamId!, teamName: 'Team', botToken: `xoxb-test-${query.teamId}`, botUserId: 'UBOT', botId: 'BBOT', scopes: ['chat:write'], tokenVersion: 3, installedAt: 1 }),
    deleteInstallation: async (query) => {
      deleted.push(query);
      return { outcome: 'parked' };
    },
    serve: (next) => {
      handler = next;
      return () => (handler = undefined);
    },
  };
  installLifelineRuntime(runtime);
  return { runtime, queries, deleted, deliver: (event: SinkEvent) => handler!(event), get serving() { return handler !== undefined; } };
}

const base = { linkId: 'sm:A1:0', appId: 'A1', teamId: 'T1', receivedAt: 1_700_000_000_000 };
const command = (text = ''): SinkEvent => ({
  ...base, id: 'A1:env:E1', protocol: 'socket', kind: 'slash_commands', envelopeId: 'E1', acceptsResponsePayload: true,
  payload: { command: '/ping', text, team_id: 'T1', user_id: 'U1', channel_id: 'C1', api_app_id: 'A1', trigger_id: 'tr1' },
});
const mention = (retryAttempt: number): SinkEvent => ({
  ...base, id: 'A1:Ev1', protocol: 'socket', kind: 'events_api', envelopeId: `E${retryAttempt}`, acceptsResponsePayload: false, retryAttempt, retryReason: retryAttempt ? 'timeout' : '',
  payload: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi', user: 'U1', channel: 'C1', ts: '1.1' } },
});

describe('LifelineReceiver', () => {
  afterEach(() => resetLifelineRuntime());

  const appWith = () => {
    const world = fakeRuntime();
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    return { world, receiver, app };
  };

  it("points the app's Web API client at the Slack Lifeline talks to", () => {
    const { receiver } = appWith();
    expect(receiver.clientOptions).toMatchObject({ slackApiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('answers with what the listener passed to ack(), as soon as it acked, while the listener goes on', async () => {
    const { world, app } = appWith();
    let finish!: () => void;
    const rest = new Promise<void>((resolve) => (finish = resolve));
    let finished = false;
    app.command('/ping', async ({ ack, command: body }) => {
      await ack({ text: `pong ${body.text}` });
      await rest;
      finished = true;
    });
    await app.start();
    expect(await world.deliver(command('now'))).toEqual({ ackPayload: { text: 'pong now' } });
    expect(finished).toBe(false);
    finish();
  });

  it("gives listeners Slack's retry number and reason, and authorizes with the payload's team and app", async () => {
    const { world, app } = appWith();
    const seen: unknown[] = [];
    app.event('app_mention', async ({ context }) => void seen.push([context.retryNum, context.retryReason, context.botToken, context.botId]));
    await app.start();
    expect(await world.deliver(mention(0))).toEqual({});
    expect(await world.deliver(mention(2))).toEqual({});
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([[0, '', 'xoxb-test-T1', 'BBOT'], [2, 'timeout', 'xoxb-test-T1', 'BBOT']]);
    expect(world.queries[0]).toEqual({ isEnterpriseInstall: false, teamId: 'T1', appId: 'A1' });
  });

  it('hands an RTM event to message listeners as an event_callback of its team', async () => {
    const { world, app } = appWith();
    const seen: unknown[] = [];
    app.message('hello', async ({ message, context, body }) => void seen.push([(message as { text?: string }).text, context.teamId, (body as { api_app_id?: string }).api_app_id]));
    await app.start();
    const rtm: SinkEvent = { ...base, linkId: 'rtm:A1:T1', id: 'A1:T1:message:C1:1.2', protocol: 'rtm', kind: 'message', payload: { type: 'message', text: 'hello there', user: 'U1', channel: 'C1', ts: '1.2' } };
    expect(await world.deliver(rtm)).toEqual({});
    await expect.poll(() => seen.length).toBe(1);
    expect(seen).toEqual([['hello there', 'T1', 'A1']]);
  });

  it("refuses a payload no listener acked, and one whose team's authorization fails, with the reason", async () => {
    const { world, app } = appWith();
    await app.start();
    await expect(world.deliver(command())).rejects.toThrow(/no listener acked the slash_commands payload/);
    const parked = { ...mention(0), teamId: 'TPARKED', payload: { ...(mention(0).payload as object), team_id: 'TPARKED' } };
    await expect(world.deliver(parked)).rejects.toThrow(/parked/);
  });

  it('stops taking payloads once stopped', async () => {
    const { world, app } = appWith();
    await app.start();
    expect(world.serving).toBe(true);
    await app.stop();
    expect(world.serving).toBe(false);
  });

  it("offers Lifeline's installations as Bolt's InstallationStore: reads, deletes that park, stores refused", async () => {
    const { world, receiver } = appWith();
    const installation = await receiver.installationStore.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(installation).toMatchObject({ team: { id: 'T1', name: 'Team' }, bot: { token: 'xoxb-test-T1', userId: 'UBOT', id: 'BBOT', scopes: ['chat:write'] }, appId: 'A1', tokenType: 'bot', isEnterpriseInstall: false });
    await receiver.installationStore.deleteInstallation!({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(world.deleted).toEqual([{ teamId: 'T1', isEnterpriseInstall: false }]);
    await expect(receiver.installationStore.storeInstallation(installation)).rejects.toThrow(/Lifeline owns installs/);
  });

  it('says how to run it when there is no Lifeline in the process', async () => {
    const receiver = new LifelineReceiver();
    const app = new App({ receiver, authorize: receiver.authorize, logLevel: LogLevel.ERROR });
    await expect(app.start()).rejects.toThrow(/LIFELINE_BOT=<this module> npm start/);
  });
});
