import { describe, expect, it } from 'vitest';
import { DynamoDbEventDedupe, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { EventBridgeSink } from '../../shared/adapters/eventbridge';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { InstallationCredentials } from '../../shared/app';
import { ConfigError } from '../../shared/config';
import { composeWorker } from '../../functions/worker/compose';
import { readWorkerConfig } from '../../functions/worker/config';
import { registerSecrets } from '../support/log-capture';

const clientSecret = 'client-secret-9f8e7d6c5b4a';
const appToken = 'xapp-1-A0TEST-1234-abcdef0123456789';
registerSecrets(clientSecret, appToken);

/** What the worker's task definition gives a Fargate worker (see `WorkerService`). */
const fargateEnv = {
  LIFELINE_MODE: 'aws',
  LIFELINE_WORKER_ID: 'w-aws',
  LIFELINE_TABLE_NAME: 'links',
  AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/connect',
  LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:restart',
  LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:reactivation',
  LIFELINE_EVENT_BUS_NAME: 'lifeline-events',
  SLACK_APP_ID: 'A0TEST',
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: clientSecret,
  LIFELINE_APP_PROTOCOL: 'rtm',
};

const problemsOf = (env: Record<string, string | undefined>): string => {
  try {
    readWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('worker on AWS: configuration', () => {
  it('names every key a Fargate worker needs in one error', () => {
    const problems = problemsOf({ LIFELINE_MODE: 'aws', LIFELINE_APP_PROTOCOL: 'rtm' });

    for (const key of [
      'LIFELINE_TABLE_NAME',
      'LIFELINE_CONNECT_QUEUE_URL',
      'LIFELINE_RESTART_STATE_MACHINE_ARN',
      'LIFELINE_REACTIVATION_STATE_MACHINE_ARN',
      'LIFELINE_EVENT_BUS_NAME',
      'LIFELINE_KMS_KEY_ID',
      'SLACK_APP_ID',
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
    ]) {
      expect(problems).toContain(`${key} is required`);
    }
    // An RTM app has no app-level token.
    expect(problems).not.toContain('SLACK_APP_TOKEN');
  });

  it('asks a Socket Mode deployment for its app-level token, and never repeats a bad one', () => {
    expect(problemsOf({ ...fargateEnv, LIFELINE_APP_PROTOCOL: 'socket' })).toContain('SLACK_APP_TOKEN is required');

    const problems = problemsOf({ ...fargateEnv, LIFELINE_APP_PROTOCOL: 'socket', SLACK_APP_TOKEN: `xoxb-${clientSecret}` });
    expect(problems).toContain('SLACK_APP_TOKEN must be an app-level token');
    expect(problems).not.toContain(clientSecret);
  });

  it('leaves an embedded worker free of AWS keys: its parent hands it those ports over IPC', () => {
    expect(readWorkerConfig({ LIFELINE_MODE: 'embedded', LIFELINE_TABLE_NAME: 'links' })).toMatchObject({ mode: 'embedded' });
  });

  it('reads the resources and the app secrets', () => {
    const config = readWorkerConfig({ ...fargateEnv, LIFELINE_APP_PROTOCOL: 'socket', SLACK_APP_TOKEN: appToken });

    expect(config).toMatchObject({
      mode: 'aws',
      region: 'eu-west-1',
      aws: {
        connectQueueUrl: fargateEnv.LIFELINE_CONNECT_QUEUE_URL,
        eventBusName: 'lifeline-events',
        kmsKeyId: fargateEnv.LIFELINE_KMS_KEY_ID,
        app: { appId: 'A0TEST', protocol: 'socket', clientId: '111.222', clientSecret, appToken },
      },
    });
  });
});

describe('worker on AWS: composition', () => {
  it('builds SQS, Step Functions, the installation store and EventBridge around the table', () => {
    const { deps, ticker } = composeWorker(readWorkerConfig(fargateEnv));
    ticker.stop();

    expect(deps.queue).toBeInstanceOf(SqsConnectQueue);
    expect(deps.workflow).toBeInstanceOf(SfnWorkflow);
    expect(deps.credentials).toBeInstanceOf(InstallationCredentials);
    expect(deps.sink).toBeInstanceOf(EventBridgeSink);
    expect(deps.links).toBeInstanceOf(DynamoDbLinkStore);
    expect(deps.registry).toBeInstanceOf(DynamoDbWorkerRegistry);
    expect(deps.dedupe).toBeInstanceOf(DynamoDbEventDedupe);
    expect(deps.workerId).toBe('w-aws');
  });

  it('hands Socket Mode slots the configured app token without touching the store', async () => {
    const { deps, ticker } = composeWorker(readWorkerConfig({ ...fargateEnv, LIFELINE_APP_PROTOCOL: 'socket', SLACK_APP_TOKEN: appToken }));
    ticker.stop();

    await expect(deps.credentials.forLink({ id: 'sm:A0TEST:0', protocol: 'socket', appId: 'A0TEST', slot: 0 })).resolves.toEqual({ token: appToken, tokenVersion: 1 });
    // Another app's slot has no token here: Slack's own answer, which revokes the link.
    await expect(deps.credentials.forLink({ id: 'sm:A0OTHER:0', protocol: 'socket', appId: 'A0OTHER', slot: 0 })).rejects.toMatchObject({ reason: 'missing_args' });
  });
});
