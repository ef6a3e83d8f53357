import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { LifelineReceiver, readBotLambdaConfig, resetLifelineRuntime, type LifelineRuntime } from '../../functions/bolt';
import { lambdaHandlerFor } from '../../functions/bolt/lambda-handler';
import type { SinkEvent } from '../../shared/ports';

const base = { linkId: 'sm:A1:0', appId: 'A1', teamId: 'T1', protocol: 'socket' as const, receivedAt: 1_700_000_000_000 };
const ping: SinkEvent = {
  ...base, id: 'A1:env:E1', kind: 'slash_commands', envelopeId: 'E1', acceptsResponsePayload: true,
  payload: { command: '/ping', text: '', team_id: 'T1', user_id: 'U1', channel_id: 'C1', api_app_id: 'A1', trigger_id: 'tr1' },
};

/** The runtime the handler would build from the function's environment, counted. */
function runtimeFactory() {
  const built: LifelineRuntime[] = [];
  const make = (): LifelineRuntime => {
    const runtime: LifelineRuntime = {
      slackApiUrl: 'http://127.0.0.1:9/api/',
      authorize: async (query) => ({ botToken: `xoxb-test-${query.teamId}`, botUserId: 'UBOT', teamId: query.teamId!, tokenVersion: 1 }),
      fetchInstallation: async () => {
        throw new Error('not used');
      },
      deleteInstallation: async () => ({ outcome: 'refused' }),
      serve: () => () => undefined,
    };
    built.push(runtime);
    return runtime;
  };
  return { built, make };
}

describe("the receiver's Lambda handler, with a real Bolt app", () => {
  afterEach(() => resetLifelineRuntime());

  const botWith = (register: (app: App) => void) => {
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    register(app);
    const runtimes = runtimeFactory();
    return { receiver, handler: lambdaHandlerFor(receiver, runtimes.make), runtimes };
  };

  it("returns what /ping's listener passed to ack(), building the runtime once, on the first invocation", async () => {
    const { handler, runtimes } = botWith((app) => app.command('/ping', async ({ ack }) => ack({ text: 'pong' })));
    expect(runtimes.built).toHaveLength(0);

    expect(await handler(ping)).toEqual({ ackPayload: { text: 'pong' } });
    expect(await handler(JSON.parse(JSON.stringify(ping)))).toEqual({ ackPayload: { text: 'pong' } });
    expect(runtimes.built).toHaveLength(1);
  });

  it('returns only once the listener is done, so nothing it does after the ack is frozen with the function', async () => {
    let finished = false;
    const { handler } = botWith((app) => app.command('/ping', async ({ ack }) => {
      await ack({ text: 'pong' });
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    }));

    expect(await handler(ping)).toEqual({ ackPayload: { text: 'pong' } });
    expect(finished).toBe(true);
  });

  it('throws when no listener acked (the worker leaves the envelope unacked)', async () => {
    const { handler } = botWith(() => undefined);
    await expect(handler(ping)).rejects.toThrow(/no listener acked the slash_commands payload/);
  });

  it('refuses an invocation that is not a Lifeline payload, naming what is wrong', async () => {
    const { handler, runtimes } = botWith((app) => app.command('/ping', async ({ ack }) => ack()));
    await expect(handler({ body: '{}', headers: {} })).rejects.toThrow(/not a Lifeline payload: id is not a non-empty string; linkId .*; protocol is neither rtm nor socket; receivedAt is not a number; payload is not an object/);
    await expect(handler('ping')).rejects.toThrow(/got string/);
    expect(runtimes.built).toHaveLength(0);
  });

  it("reads its configuration from the function's environment, naming every missing key at once", () => {
    expect(() => readBotLambdaConfig({})).toThrow(/LIFELINE_TABLE_NAME is required[\s\S]*LIFELINE_KMS_KEY_ID is required[\s\S]*SLACK_APP_ID is required/);
    expect(readBotLambdaConfig({ LIFELINE_TABLE_NAME: 'links', LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/k', SLACK_APP_ID: 'A1', AWS_REGION: 'eu-west-1' }))
      .toEqual({ region: 'eu-west-1', tableName: 'links', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k', appId: 'A1', slackApiUrl: 'https://slack.com/api/', logLevel: 'info' });
  });
});
