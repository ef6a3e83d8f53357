import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { installLifelineRuntime, LifelineReceiver, resetLifelineRuntime, type PayloadHandler } from '../../functions/bolt';
import type { SinkEvent } from '../../shared/ports';

// What a classic (RTM) app's Request URLs receive reaches Bolt as Bolt's own HTTP receiver would
// hand it over: the Events API body, the command's form fields, the interaction's parsed payload.
// Not wrapped again as an RTM event would be (protocol `rtm`, kind `events_api` etc.).

function runtime() {
  let handler: PayloadHandler | undefined;
  installLifelineRuntime({
    slackApiUrl: 'http://127.0.0.1:9/api/',
    authorize: async (query) => ({ botToken: `xoxb-test-${query.teamId}`, botUserId: 'UBOT', botId: 'BBOT', teamId: query.teamId!, tokenVersion: 1 }),
    fetchInstallation: async () => {
      throw new Error('not used');
    },
    deleteInstallation: async () => ({ outcome: 'parked' }),
    serve: (next) => {
      handler = next;
      return () => (handler = undefined);
    },
  });
  return { deliver: (event: SinkEvent) => handler!(event) };
}

const base = { linkId: 'rtm:A1:T1', appId: 'A1', teamId: 'T1', protocol: 'rtm' as const, receivedAt: 1_700_000_000_000, acceptsResponsePayload: true };

describe('LifelineReceiver with HTTP deliveries of a classic app', () => {
  afterEach(() => resetLifelineRuntime());

  const appWith = () => {
    const world = runtime();
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    return { world, app };
  };

  it("answers a command from /slack/commands with the listener's ack payload", async () => {
    const { world, app } = appWith();
    app.command('/ping', async ({ ack, command }) => ack({ text: `pong ${command.text}` }));
    await app.start();
    const event: SinkEvent = { ...base, id: 'A1:http:1', kind: 'slash_commands', payload: { command: '/ping', text: 'there', team_id: 'T1', api_app_id: 'A1', user_id: 'U1', channel_id: 'C1' } };
    expect(await world.deliver(event)).toEqual({ ackPayload: { text: 'pong there' } });
  });

  it("answers a view submission from /slack/interactive with the listener's response_action", async () => {
    const { world, app } = appWith();
    app.view('feedback', async ({ ack }) => ack({ response_action: 'errors', errors: { b: 'too short' } }));
    await app.start();
    const event: SinkEvent = { ...base, id: 'A1:http:2', kind: 'interactive', payload: { type: 'view_submission', team: { id: 'T1' }, user: { id: 'U1' }, api_app_id: 'A1', view: { id: 'V1', callback_id: 'feedback', state: { values: {} } } } };
    expect(await world.deliver(event)).toEqual({ ackPayload: { response_action: 'errors', errors: { b: 'too short' } } });
  });

  it("hands an Events API message to message listeners as Slack's body, with Slack's retry number", async () => {
    const { world, app } = appWith();
    const seen: unknown[] = [];
    app.message('hello', async ({ message, body, context }) => void seen.push([(message as { text?: string }).text, (body as { event_id?: string }).event_id, context.retryNum]));
    await app.start();
    const event: SinkEvent = {
      ...base, id: 'A1:T1:message:C1:1.5', kind: 'events_api', acceptsResponsePayload: false, retryAttempt: 1, retryReason: 'http_timeout',
      payload: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event: { type: 'message', text: 'hello http', user: 'U1', channel: 'C1', ts: '1.5' } },
    };
    expect(await world.deliver(event)).toEqual({});
    await expect.poll(() => seen.length).toBe(1);
    expect(seen).toEqual([['hello http', 'Ev1', 1]]);
  });
});
