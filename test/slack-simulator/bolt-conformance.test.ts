import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Authorize } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator, type WorkspaceHandle } from '../../shared/slack-simulator';
import { eventually } from './support/helpers';

// A real Bolt app with its own SocketModeReceiver, pointed at the simulator by slackApiUrl only:
// the simulator must be faithful enough for Bolt's listeners, acks and Web API calls.
let sim: SlackSimulator;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn().catch(() => undefined);
  await sim?.close();
});

const SURVEY = {
  type: 'modal' as const, callback_id: 'survey', title: { type: 'plain_text' as const, text: 'Survey' },
  submit: { type: 'plain_text' as const, text: 'Send' }, blocks: [],
};

async function startBolt(appToken: string, workspaces: WorkspaceHandle[]): Promise<App> {
  const byTeam = new Map(workspaces.map((w) => [w.teamId, w]));
  // Bolt's authorize: the bot token of the team the payload came from.
  const authorize: Authorize<boolean> = async ({ teamId }) => {
    const ws = teamId ? byTeam.get(teamId) : undefined;
    if (!ws) throw new Error(`no installation for ${String(teamId)}`);
    return { botToken: ws.botToken, botId: ws.botId, botUserId: ws.botUserId, teamId: ws.teamId };
  };
  const receiver = new SocketModeReceiver({
    appToken, logLevel: LogLevel.ERROR, installerOptions: { clientOptions: { slackApiUrl: sim.apiUrl } },
  });
  const app = new App({ receiver, authorize, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: sim.apiUrl } });
  app.command('/ping', async ({ ack }) => ack({ text: 'pong' }));
  app.command('/survey', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: SURVEY });
  });
  app.view('survey', async ({ ack }) => ack({ response_action: 'errors', errors: { answer: 'Say more' } }));
  app.message('hello', async ({ message, say }) => {
    await say(`hi <@${'user' in message ? String(message.user) : 'there'}>`);
  });
  await app.start();
  // Stopped before the simulator closes, and only once its socket is really gone (no error on shutdown).
  cleanups.push(async () => {
    await app.stop();
    await eventually(() => sim.truth.openNow() === 0, 5000, 'the receiver gone');
  });
  return app;
}

describe('@slack/bolt 5.1.0 App with its own SocketModeReceiver', () => {
  it('acks /ping with { text: "pong" }, and truth records that ack payload for the envelope', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp();
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    await startBolt(slackApp.appToken, [ws]);
    await eventually(() => sim.truth.openNow(slackApp.appId) === 1, 5000, 'the receiver connected');

    const r = sim.emitCommand(slackApp.appId, { command: '/ping', teamId: ws.teamId });
    await eventually(() => sim.truth.envelopes.get(r.id)?.ackedAt, 5000, 'the ack');
    expect(sim.truth.deliveries(slackApp.appId)).toEqual([expect.objectContaining({
      id: r.id, type: 'slash_commands', via: 'socket', acks: 1, ackPayload: { text: 'pong' },
    })]);
  });

  it('say() in a message listener posts with the bot token of the team the message came from', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp();
    const [a, b] = [sim.addWorkspace({ appId: slackApp.appId }), sim.addWorkspace({ appId: slackApp.appId })];
    await startBolt(slackApp.appToken, [a, b]);
    await eventually(() => sim.truth.openNow(slackApp.appId) === 1, 5000, 'the receiver connected');

    const [emitted] = sim.emitEvent({ appId: slackApp.appId, teamId: b.teamId }, {
      type: 'message', channel: 'C0BOLTROOM', user: 'U0ALICE', text: 'hello bot', ts: '1700000000.000100', channel_type: 'channel',
    });
    await eventually(() => sim.truth.calls('chat.postMessage').length > 0, 5000, 'the reply');
    expect(sim.truth.calls('chat.postMessage')).toEqual([expect.objectContaining({
      outcome: 'ok', teamId: b.teamId, appId: slackApp.appId, tokenKind: 'bot', tokenGeneration: sim.tokenGeneration(b.botToken),
      tokenCurrent: true, args: expect.objectContaining({ channel: 'C0BOLTROOM', text: 'hi <@U0ALICE>' }),
    })]);
    expect(sim.truth.envelopes.get(emitted!.envelopeId!)?.acks).toBe(1);
  });

  it('opens a modal with the trigger_id of a command, and a submission refused with errors is the recorded ack', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp();
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    await startBolt(slackApp.appToken, [ws]);
    await eventually(() => sim.truth.openNow(slackApp.appId) === 1, 5000, 'the receiver connected');

    const cmd = sim.emitCommand(slackApp.appId, { command: '/survey', teamId: ws.teamId });
    await eventually(() => sim.truth.calls('views.open').length > 0, 5000, 'views.open');
    expect(sim.truth.calls('views.open')).toEqual([expect.objectContaining({
      outcome: 'ok', teamId: ws.teamId, args: expect.objectContaining({ trigger_id: cmd.triggerId, callback_id: 'survey' }),
    })]);
    const submit = sim.emitInteraction(slackApp.appId, {
      type: 'view_submission', teamId: ws.teamId, view: { ...SURVEY, id: 'V0SURVEY', state: { values: {} } },
    });
    await eventually(() => sim.truth.envelopes.get(submit.id)?.ackedAt, 5000, 'the submission ack');
    expect(sim.truth.envelopes.get(submit.id)?.ackPayload).toEqual({ response_action: 'errors', errors: { answer: 'Say more' } });
  });
});

describe('@slack/bolt 5.1.0 App with its own HTTPReceiver (a classic app\'s Request URLs)', () => {
  it('accepts the simulator\'s signed command and interaction POSTs, and its answers are the recorded acks', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp({ classic: true, socketMode: false });
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    // Bolt checks the v0 signature and the timestamp's 5-minute window itself.
    const receiver = new HTTPReceiver({ signingSecret: slackApp.signingSecret, logLevel: LogLevel.ERROR });
    const app = new App({
      receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: sim.apiUrl },
      authorize: async () => ({ botToken: ws.botToken, botId: ws.botId, botUserId: ws.botUserId }),
    });
    app.command('/ping', async ({ ack, respond }) => {
      await ack({ text: 'pong' });
      await respond({ text: 'later, by response_url' });
    });
    app.action('approve', async ({ ack }) => ack());
    const server = await app.start(0);
    cleanups.push(() => app.stop());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    sim.setCommandsUrl(slackApp.appId, base);
    sim.setInteractivityUrl(slackApp.appId, base);

    const cmd = sim.emitCommand(slackApp.appId, { command: '/ping', teamId: ws.teamId });
    expect(await cmd.answered!).toMatchObject({ status: 200, responseBody: { text: 'pong' } });
    await eventually(() => sim.truth.calls('response_url', ws.teamId).length > 0, 5000, 'the response_url post');
    expect(sim.truth.calls('response_url', ws.teamId)).toEqual([expect.objectContaining({
      outcome: 'ok', args: expect.objectContaining({ kind: 'commands', use: '1', text: 'later, by response_url' }),
    })]);

    const click = sim.emitInteraction(slackApp.appId, {
      type: 'block_actions', teamId: ws.teamId, actions: [{ type: 'button', action_id: 'approve', block_id: 'b', value: 'yes', action_ts: '1' }],
      channel: { id: ws.generalChannelId, name: 'general' }, container: { type: 'message', channel_id: ws.generalChannelId },
    });
    expect(await click.answered!).toMatchObject({ status: 200 });
    expect(sim.truth.deliveries(ws.teamId).map((d) => [d.type, d.via, d.acks])).toEqual([
      ['slash_commands', 'http', 1], ['interactive', 'http', 1],
    ]);
  });
});
