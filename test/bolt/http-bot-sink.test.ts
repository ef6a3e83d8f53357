import { createHmac } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { httpSink } from '../../functions/http/compose-aws';
import { readHttpConfig } from '../../functions/http/config';
import type { HttpDeps } from '../../functions/http/deps';
import { makeHandler } from '../../functions/http/handler';
import type { HttpRequest } from '../../functions/http/types';
import { silentLogger } from '../../shared/adapters/log';
import { MemoryEventDedupe, MemoryMetrics } from '../../shared/adapters/memory';
import type { InstallationRecord, SinkEvent } from '../../shared/ports';

// The HTTP function on AWS with a bot function: a classic app's slash command, signed as Slack
// signs it, is invoked on the bot's Lambda (SDK mocked) and answered with what the bot returned;
// it goes to the bus too.

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot';
const signingSecret = 'signing-secret-for-tests';
const lambda = mockClient(LambdaClient);
const eventBridge = mockClient(EventBridgeClient);
afterAll(() => {
  lambda.restore();
  eventBridge.restore();
});

function signedCommand(command: string): HttpRequest {
  const body = new URLSearchParams({ command, team_id: 'T1', api_app_id: 'A0APP', user_id: 'U1' }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { method: 'POST', path: '/slack/commands', query: new URLSearchParams(), body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature } };
}

describe('the HTTP function with a bot function: commands answered by the bot', () => {
  const env = {
    SLACK_APP_ID: 'A0APP', LIFELINE_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf', LIFELINE_APP_PROTOCOL: 'rtm',
    SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect', LIFELINE_TABLE_NAME: 't', AWS_REGION: 'eu-west-1', LIFELINE_KMS_KEY_ID: 'alias/k',
    LIFELINE_CONNECT_QUEUE_URL: 'https://sqs/q', LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:r', LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:a',
    LIFELINE_EVENT_BUS_NAME: 'lifeline-events', LIFELINE_BOT_FUNCTION_ARN: FUNCTION_ARN,
  };

  it("invokes the bot synchronously with the command and answers with its ack payload; a failed function is a 503", async () => {
    const config = readHttpConfig(env);
    expect(config.botFunctionArn).toBe(FUNCTION_ARN);
    const { sink } = httpSink(config, silentLogger);
    const invoked: Array<{ type: string; event: SinkEvent }> = [];
    lambda.on(InvokeCommand).callsFake((input: InvokeCommandInput) => {
      const event = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as SinkEvent;
      invoked.push({ type: String(input.InvocationType), event });
      const command = (event.payload as { command?: string }).command;
      if (command === '/ping') return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ ackPayload: { text: 'pong' } })) };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode(JSON.stringify({ errorMessage: 'no listener acked the slash_commands payload' })) };
    });
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e${i}` })) }));
    const deps = {
      config: { appId: 'A0APP', protocol: 'rtm', signingSecret },
      installations: { get: async () => ({ appId: 'A0APP', installId: 'T1', active: true }) as InstallationRecord },
      dedupe: new MemoryEventDedupe(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      clock: Date,
      sink,
    } as unknown as HttpDeps;

    const answered = await makeHandler(deps)(signedCommand('/ping'));
    expect(answered, answered.body).toMatchObject({ status: 200 });
    expect(JSON.parse(answered.body)).toEqual({ text: 'pong' });
    expect(invoked).toHaveLength(1);
    expect(invoked[0]).toMatchObject({ type: 'RequestResponse', event: { kind: 'slash_commands', acceptsResponsePayload: true, teamId: 'T1', payload: { command: '/ping' } } });
    await expect.poll(() => eventBridge.commandCalls(PutEventsCommand).length).toBe(1);

    expect(await makeHandler(deps)(signedCommand('/nobody-listens'))).toMatchObject({ status: 503 });
  });
});
