import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { httpSink } from '../../functions/http/compose-aws';
import { readHttpConfig } from '../../functions/http/config';
import type { HttpDeps } from '../../functions/http/deps';
import { makeHandler } from '../../functions/http/handler';
import type { HttpRequest } from '../../functions/http/types';
import { EventBridgeSink } from '../../shared/adapters/eventbridge';
import { BotAndBusSink } from '../../shared/adapters/lambda';
import { MemoryEventDedupe, MemoryMetrics } from '../../shared/adapters/memory';
import { silentLogger } from '../../shared/adapters/log';
import type { InstallationRecord, Sink, SinkAnswer, SinkEvent } from '../../shared/ports';

// The AWS composition's choice of sink for the HTTP function, and what a command gets from each:
// the bus (accepts, carries no answer: an empty 200, as the Socket Mode ack on AWS), or none
// (nothing can answer it: 503).

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
const env = {
  SLACK_APP_ID: 'A0APP', LIFELINE_SLACK_SECRET_ARN: secretArn, LIFELINE_APP_PROTOCOL: 'rtm',
  SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect', LIFELINE_TABLE_NAME: 't', LIFELINE_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'alias/k', LIFELINE_CONNECT_QUEUE_URL: 'https://sqs/q', LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:r', LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:a',
};
const signingSecret = 'signing-secret-for-tests';

/** Just what the commands route uses; every installation is active. */
function depsWith(sink: Sink | undefined): HttpDeps {
  const installation = { appId: 'A0APP', installId: 'T1', active: true } as InstallationRecord;
  return {
    config: { appId: 'A0APP', protocol: 'rtm', signingSecret },
    installations: { get: async () => installation },
    dedupe: new MemoryEventDedupe(),
    metrics: new MemoryMetrics(),
    log: silentLogger,
    clock: Date,
    ...(sink ? { sink } : {}),
  } as unknown as HttpDeps;
}

function signedCommand(): HttpRequest {
  const body = new URLSearchParams({ command: '/ping', team_id: 'T1', api_app_id: 'A0APP' }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { method: 'POST', path: '/slack/commands', query: new URLSearchParams(), body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature } };
}

describe('the HTTP function on AWS: where its deliveries go', () => {
  it('reads LIFELINE_EVENT_BUS_NAME and LIFELINE_BOT_FUNCTION_ARN when set, and runs without them', () => {
    expect(readHttpConfig({ ...env, LIFELINE_EVENT_BUS_NAME: 'lifeline-events' }).eventBusName).toBe('lifeline-events');
    expect(readHttpConfig(env).eventBusName).toBeUndefined();
    expect(readHttpConfig({ ...env, LIFELINE_BOT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:bot' }).botFunctionArn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:bot');
  });

  it("puts deliveries on the workers' bus when it is named (and on the bot's Lambda when there is one), and has no sink otherwise", () => {
    expect(httpSink({ region: 'eu-west-1', eventBusName: 'lifeline-events' }, silentLogger).sink).toBeInstanceOf(EventBridgeSink);
    expect(httpSink({ region: 'eu-west-1', eventBusName: 'lifeline-events', botFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bot' }, silentLogger).sink).toBeInstanceOf(BotAndBusSink);
    expect(httpSink({ region: 'eu-west-1' }, silentLogger)).toEqual({});
  });

  it('answers a command an empty 200 once the bus took it, and 503 with no sink', async () => {
    const put: SinkEvent[] = [];
    const bus: Sink = { deliver: (events) => events.map(async (event): Promise<SinkAnswer> => (put.push(event), { ok: true })) };
    expect(await makeHandler(depsWith(bus))(signedCommand())).toMatchObject({ status: 200, body: '' });
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({ kind: 'slash_commands', linkId: 'rtm:A0APP:T1', teamId: 'T1' });
    expect(await makeHandler(depsWith(undefined))(signedCommand())).toMatchObject({ status: 503, body: 'no bot is configured to answer' });
  });
});
