import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { App, LogLevel } from '@slack/bolt';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsBotRuntime, installLifelineRuntime, LifelineReceiver, resetLifelineRuntime } from '../../functions/bolt';
import { Worker } from '../../functions/worker/worker';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { awsSinkFor } from '../../shared/adapters/lambda';
import { silentLogger } from '../../shared/adapters/log';
import { HttpSlackApi } from '../../shared/adapters/slack';
import type { SinkEvent } from '../../shared/ports';
import { waitFor, World } from '../worker/harness/world';

/**
 * The AWS bot path with everything real but AWS itself: a worker holding a real `ws` to the
 * simulator sends each envelope through the sink the Fargate worker builds (`awsSinkFor`: the
 * bus and the bot's Lambda), the Lambda SDK client mocked so that an invocation runs a real Bolt
 * app through the receiver's Lambda handler, whose `authorize` reads the installation from the
 * table (dynalite) and opens its token with the KMS cipher (KMS mocked).
 */
describe('the AWS bot path: worker -> bot Lambda -> ack', () => {
  const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot';
  const lambda = mockClient(LambdaClient);
  const eventBridge = mockClient(EventBridgeClient);
  const kms = mockClient(KMSClient);
  const invocations: Array<{ type: string; event: SinkEvent }> = [];
  const dataKey = new Uint8Array(32).fill(7);
  let world: World;
  let team: { appId: string; teamId: string; botToken: string; channel: string };

  beforeAll(async () => {
    world = await World.start({ simulator: { socketMode: { ackTimeoutMs: 2_000, retryDelaysMs: [0, 100, 200] } } });
    // Fresh copies: the cipher zeroes each plaintext data key once it is done with it.
    kms.on(GenerateDataKeyCommand).callsFake(() => ({ Plaintext: new Uint8Array(dataKey), CiphertextBlob: new Uint8Array([1, 2, 3]) }));
    kms.on(DecryptCommand).callsFake(() => ({ Plaintext: new Uint8Array(dataKey) }));
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `ev-${i}` })) }));

    const smApp = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: smApp.appId });
    team = { appId: smApp.appId, teamId: ws.teamId, botToken: ws.botToken, channel: ws.generalChannelId };
    // The workspace as Lifeline's "Add to Slack" leaves it: an installation, its token sealed under KMS.
    const cipher = new KmsEnvelopeCipher({ client: new KMSClient({ region: 'eu-west-1' }), keyId: 'token-key' });
    const now = Date.now();
    await world.installations.save({
      appId: team.appId, installId: team.teamId, teamId: team.teamId, isEnterpriseInstall: false, botUserId: ws.botUserId, scopes: ['chat:write', 'commands'],
      tokenCiphertext: await cipher.encrypt(team.botToken, { appId: team.appId, installId: team.teamId, purpose: 'bot_token' }),
      tokenVersion: 1, grantedAt: now, active: true, installedAt: now, updatedAt: now,
    }, undefined);
    kms.resetHistory();

    // The bot's function: a Bolt app, as the README shows it, behind the receiver's Lambda handler.
    resetLifelineRuntime();
    installLifelineRuntime(awsBotRuntime({
      installations: world.installations, cipher, slack: new HttpSlackApi({ apiUrl: world.sim.apiUrl }),
      appId: team.appId, slackApiUrl: world.sim.apiUrl, clock: Date, log: silentLogger,
    }));
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const bot = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    bot.command('/ping', async ({ ack }) => ack({ text: 'pong' }));
    bot.event('app_mention', async ({ event, say }) => void (await say(`hi <@${event.user}>`)));
    const handler = receiver.toLambdaHandler();
    // Lambda, played in process: what the SDK would send to the function, and its answer back.
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
    lambda.on(InvokeCommand).callsFake(async (input: InvokeCommandInput) => {
      const event = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as SinkEvent;
      invocations.push({ type: String(input.InvocationType), event });
      if (input.InvocationType === 'Event') {
        handler(event).catch(() => undefined);
        return { StatusCode: 202 };
      }
      try {
        return { StatusCode: 200, Payload: encode(await handler(event)) };
      } catch (error) {
        return { StatusCode: 200, FunctionError: 'Unhandled', Payload: encode({ errorType: 'Error', errorMessage: (error as Error).message }) };
      }
    });

    const sink = awsSinkFor({ region: 'eu-west-1', eventBusName: 'lifeline-bus', botFunctionArn: FUNCTION_ARN }, silentLogger, {
      eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
      lambda: new LambdaClient({ region: 'eu-west-1' }),
    });
    const worker = new Worker({ ...world.workerDeps('w-aws-bot'), sink }, { receiveWaitMs: 200, reconcileMs: 60_000 });
    await worker.start();
    world.workers.push(worker);
    await world.waitForState(smApp.linkIds[0]!, 'open');
    await waitFor(() => world.sim.truth.openNow(team.appId) === 1, 5_000);
  });

  afterAll(async () => {
    await world?.stop();
    resetLifelineRuntime();
    lambda.restore();
    eventBridge.restore();
    kms.restore();
  });

  const busDetails = (): SinkEvent[] =>
    eventBridge.commandCalls(PutEventsCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}') as SinkEvent));

  it("invokes the bot synchronously with a slash command's envelope and acks with the payload its Bolt listener passed to ack()", async () => {
    const command = world.sim.emitCommand(team.appId, { command: '/ping', teamId: team.teamId });

    await waitFor(() => world.sim.truth.envelope(command.id)?.acks === 1, 5_000);
    expect(world.sim.truth.envelope(command.id)?.ackPayload).toEqual({ text: 'pong' });
    const invoked = invocations.filter((i) => i.event.envelopeId === command.id);
    expect(invoked).toHaveLength(1);
    expect(invoked[0]).toMatchObject({ type: 'RequestResponse', event: { kind: 'slash_commands', acceptsResponsePayload: true, teamId: team.teamId, payload: { command: '/ping', team_id: team.teamId } } });
    // authorize opened the team's bot token with the token key, under the bot token's context.
    expect(kms.commandCalls(DecryptCommand).map((c) => c.args[0].input.EncryptionContext)).toContainEqual({ app: team.appId, installation: team.teamId, purpose: 'bot_token' });
    // ...and the command went to the bus too.
    await waitFor(() => busDetails().some((d) => d.envelopeId === command.id), 5_000);
  });

  it('invokes the bot as an Event for an event, acks it bare, and the bot replies with the team\'s bot token', async () => {
    const [emitted] = world.sim.emitEvent({ appId: team.appId, teamId: team.teamId }, { type: 'app_mention', text: '<@bot> hi', user: 'U0SIMUSER', channel: team.channel, ts: '1700000000.000300' }, { via: ['socket_mode'] });
    const envelopeId = emitted!.envelopeId!;

    await waitFor(() => world.sim.truth.envelope(envelopeId)?.acks === 1, 5_000);
    expect(world.sim.truth.envelope(envelopeId)?.ackPayload).toBeUndefined();
    expect(invocations.filter((i) => i.event.envelopeId === envelopeId).map((i) => i.type)).toEqual(['Event']);
    expect(busDetails().some((d) => d.envelopeId === envelopeId)).toBe(true);
    await waitFor(() => world.sim.truth.calls('chat.postMessage', team.teamId).length > 0, 5_000);
    expect(world.sim.truth.calls('chat.postMessage', team.teamId)[0]).toMatchObject({ outcome: 'ok', tokenKind: 'bot', tokenCurrent: true });
  });

  it('leaves a command unacked when the function fails (no listener acked it)', async () => {
    const failuresBefore = world.metrics.sum('SinkFailures');
    const command = world.sim.emitCommand(team.appId, { command: '/nobody-listens', teamId: team.teamId });

    await waitFor(() => world.metrics.sum('SinkFailures') > failuresBefore, 5_000);
    expect(invocations.filter((i) => i.event.envelopeId === command.id).map((i) => i.type)).toEqual(['RequestResponse']);
    expect(world.sim.truth.envelope(command.id)?.acks).toBe(0);
  });
});
