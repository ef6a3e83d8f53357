import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LambdaHttpEvent, LambdaHttpResult } from '../../functions/http/lambda-event';
import { signSlackRequest } from '../../shared/slack-simulator/events/signing';
import { registerSecrets } from '../support/log-capture';

// The deployed entry points, as Lambda loads them: the environment the constructs set (ARNs, no
// secret value), Secrets Manager played by aws-sdk-client-mock. Nothing else is called: a
// url_verification and a Socket Mode verifyToken touch no table, queue or Slack.

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
const signingSecret = 'entry-signing-secret-0123456789';
const rotatedSigningSecret = 'entry-signing-secret-rotated-987';
const fields = { clientId: '111.222', clientSecret: 'entry-client-secret-abcdef', signingSecret, stateSecret: 'entry-state-'.padEnd(40, 'z'), appToken: 'xapp-1-A0TEST-1-entrytoken' };
registerSecrets(signingSecret, rotatedSigningSecret, fields.clientSecret, fields.stateSecret, fields.appToken);

const sm = mockClient(SecretsManagerClient);
let stored: Record<string, string> = fields;

beforeAll(() => {
  for (const [key, value] of Object.entries({
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-only',
    SLACK_APP_ID: 'A0TEST',
    LIFELINE_APP_PROTOCOL: 'socket',
    SLACK_SCOPES: 'connections:write',
    LIFELINE_SLACK_SECRET_ARN: secretArn,
    SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect',
    LIFELINE_TABLE_NAME: 'links',
    LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
    LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/connect',
    LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:restart',
    LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:reactivation',
    LIFELINE_LOG_LEVEL: 'error',
  })) vi.stubEnv(key, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
  sm.restore();
});
beforeEach(() => {
  sm.reset();
  sm.on(GetSecretValueCommand).callsFake(() => ({ SecretString: JSON.stringify(stored) }));
});

const verification = (secret: string): LambdaHttpEvent => {
  const body = JSON.stringify({ type: 'url_verification', challenge: 'c-42' });
  const ts = Math.floor(Date.now() / 1000);
  return {
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(secret, ts, body) },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
  };
};

describe('the HTTP Lambda entry', () => {
  it('reads the secret by the ARN in its environment on the first request, then serves from its cache', async () => {
    const { handler } = await import('../../functions/http/lambda');
    const first: LambdaHttpResult = await handler(verification(signingSecret));
    const second = await handler(verification(signingSecret));

    expect(first).toMatchObject({ statusCode: 200, body: JSON.stringify({ challenge: 'c-42' }) });
    expect(second.statusCode).toBe(200);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: secretArn }]);
  });

  it('picks up a rotated signing secret once its copy is a minute old, with no redeploy', async () => {
    const { handler } = await import('../../functions/http/lambda');
    await handler(verification(signingSecret));
    stored = { ...fields, signingSecret: rotatedSigningSecret };
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      expect((await handler(verification(rotatedSigningSecret))).statusCode).toBe(200);
      expect((await handler(verification(signingSecret))).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
      stored = fields;
    }
  });
});

describe('the workflow-task Lambda entry', () => {
  it('fails a task naming the secret when Secrets Manager has no such secret, and serves once it exists', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} })).callsFake(() => ({ SecretString: JSON.stringify(fields) }));
    const { handler } = await import('../../functions/workflow-tasks/lambda');
    const task = { task: 'verifyToken', linkId: 'sm:A0TEST:0', tokenVersion: 1 };

    await expect(handler(task)).rejects.toThrow(`secret ${secretArn} could not be read: ResourceNotFoundException`);
    await expect(handler(task)).resolves.toMatchObject({ proceed: true });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
