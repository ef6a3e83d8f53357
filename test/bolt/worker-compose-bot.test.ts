import { describe, expect, it } from 'vitest';
import { composeWorker } from '../../functions/worker/compose';
import { readWorkerConfig } from '../../functions/worker/config';
import { EventBridgeSink } from '../../shared/adapters/eventbridge';
import { BotAndBusSink } from '../../shared/adapters/lambda';
import { registerSecrets } from '../support/log-capture';

const clientSecret = 'client-secret-0a1b2c3d4e5f';
registerSecrets(clientSecret);

/** A Fargate worker's environment (`WorkerService`), with or without the bot's function. */
const fargateEnv = {
  LIFELINE_MODE: 'aws', LIFELINE_WORKER_ID: 'w-aws', LIFELINE_TABLE_NAME: 'links', AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/connect',
  LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:restart',
  LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:reactivation',
  LIFELINE_EVENT_BUS_NAME: 'lifeline-events', SLACK_APP_ID: 'A0TEST', SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: clientSecret,
  LIFELINE_APP_PROTOCOL: 'rtm',
};

describe('worker on AWS: the sink follows LIFELINE_BOT_FUNCTION_ARN', () => {
  it('sends to the bus and the bot when the function is set, to the bus alone otherwise', () => {
    const withBot = composeWorker(readWorkerConfig({ ...fargateEnv, LIFELINE_BOT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot' }));
    const busOnly = composeWorker(readWorkerConfig(fargateEnv));
    withBot.ticker.stop();
    busOnly.ticker.stop();

    expect(withBot.deps.sink).toBeInstanceOf(BotAndBusSink);
    expect(busOnly.deps.sink).toBeInstanceOf(EventBridgeSink);
  });
});
