import { describe, expect, it } from 'vitest';
import { composeAwsHttp } from '../../functions/http/compose-aws';
import { readHttpConfig } from '../../functions/http/config';
import { makeHandler } from '../../functions/http/handler';
import { slackAppSecretSpec } from '../../shared/config';
import { StaticSecretSource } from '../../shared/adapters/secrets';
import { SecretMalformedError, type Workflow } from '../../shared/ports';
import { httpEndpointSecretFields } from '../../shared/schema';
import { signSlackRequest } from '../../shared/slack-simulator/events/signing';
import { registerSecrets } from '../support/log-capture';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
const fields = {
  clientId: '111.222',
  clientSecret: 'http-client-secret-0a1b2c3d4e5f',
  signingSecret: 'http-signing-secret-before-rotation',
  stateSecret: 'state-secret-'.padEnd(40, 'x'),
};
const rotatedSigningSecret = 'http-signing-secret-after-rotation';
registerSecrets(fields.clientSecret, fields.signingSecret, fields.stateSecret, rotatedSigningSecret);

/** What the HttpEndpoint construct gives the Lambda: resource names and the secret's ARN, no secret value. */
const config = readHttpConfig({
  SLACK_APP_ID: 'A0TEST',
  LIFELINE_APP_PROTOCOL: 'rtm',
  LIFELINE_SLACK_SECRET_ARN: secretArn,
  SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect',
  LIFELINE_TABLE_NAME: 'links',
  AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/connect',
  LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:restart',
  LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:reactivation',
});
const workflow = {} as Workflow;

const verification = async (secret: StaticSecretSource, signingSecret: string) => {
  const deps = await composeAwsHttp(config, workflow, { secrets: secret })();
  const body = JSON.stringify({ type: 'url_verification', challenge: 'c-1' });
  const ts = Math.floor(Date.now() / 1000);
  return makeHandler(deps)({
    method: 'POST',
    path: '/slack/events',
    query: new URLSearchParams(),
    headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(signingSecret, ts, body) },
    body,
  });
};

describe('the HTTP Lambda and the Slack app secret', () => {
  const source = () => new StaticSecretSource(secretArn, fields, slackAppSecretSpec(httpEndpointSecretFields));

  it('takes its client, signing and state secrets from the secret, the rest from the environment', async () => {
    const deps = await composeAwsHttp(config, workflow, { secrets: source() })();

    expect(deps.config).toEqual({ ...config.app, ...fields });
  });

  it('verifies Slack with the rotated signing secret once the secret rotates, and no longer with the old one', async () => {
    const secret = source();
    expect((await verification(secret, fields.signingSecret)).status).toBe(200);

    secret.replace({ ...fields, signingSecret: rotatedSigningSecret });
    expect((await verification(secret, rotatedSigningSecret)).status).toBe(200);
    expect((await verification(secret, fields.signingSecret)).status).toBe(401);
  });

  it('keeps its ports across a rotation: only the app config is rebuilt', async () => {
    const secret = source();
    const current = composeAwsHttp(config, workflow, { secrets: secret });
    const before = await current();

    expect(await current()).toBe(before);
    secret.replace({ ...fields, clientSecret: 'http-client-secret-rotated-000' });
    const after = await current();
    expect(after.config.clientSecret).toBe('http-client-secret-rotated-000');
    expect(after.installations).toBe(before.installations);
  });

  it('refuses to serve with a state secret too short to sign OAuth state, naming the field and not the value', async () => {
    const secret = new StaticSecretSource(secretArn, { ...fields, stateSecret: 'short-state' }, slackAppSecretSpec(httpEndpointSecretFields));
    const error = await composeAwsHttp(config, workflow, { secrets: secret })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretMalformedError);
    expect((error as Error).message).toContain('field "stateSecret" must be at least 32 characters');
    expect((error as Error).message).not.toContain('short-state');
  });
});
