import { describe, expect, it } from 'vitest';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { StaticSecretSource } from '../../shared/adapters/secrets';
import { InstallationCredentials } from '../../shared/app';
import { ConfigError } from '../../shared/config';
import { SecretMalformedError } from '../../shared/ports';
import { composeAwsWorkflowTasks } from '../../functions/workflow-tasks/compose-aws';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import { makeHandler } from '../../functions/workflow-tasks';
import { slackAppSecretSpec } from '../../shared/config';
import { tokenOpenerSecretFields } from '../../shared/schema';
import { registerSecrets } from '../support/log-capture';

const clientSecret = 'tasks-client-secret-0a1b2c3d';
const appToken = 'xapp-1-A0TEST-5678-fedcba9876543210';
const rotatedAppToken = 'xapp-1-A0TEST-9999-0123456789abcdef';
registerSecrets(clientSecret, appToken, rotatedAppToken);

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';

/** What the WorkflowTasks construct gives the Lambda: the secret's ARN, never its fields. */
const lambdaEnv = {
  LIFELINE_TABLE_NAME: 'links',
  AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  SLACK_APP_ID: 'A0TEST',
  LIFELINE_SLACK_SECRET_ARN: secretArn,
  LIFELINE_APP_PROTOCOL: 'rtm',
};

const socketEnv = { ...lambdaEnv, LIFELINE_APP_PROTOCOL: 'socket' };
const slot = { id: 'sm:A0TEST:0', protocol: 'socket' as const, appId: 'A0TEST', slot: 0 };
/** The Slack app secret as Secrets Manager would hold it (the embedded twin plays it). */
const secret = (fields: Record<string, string>) => new StaticSecretSource(secretArn, fields, { required: Object.keys(fields) });

describe('workflow tasks on AWS', () => {
  it('name every missing key at cold start: the installation store\'s, the app\'s and the secret\'s ARN', () => {
    let error: unknown;
    try {
      readWorkflowTasksConfig({ LIFELINE_APP_PROTOCOL: 'socket' });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['LIFELINE_TABLE_NAME', 'LIFELINE_KMS_KEY_ID', 'SLACK_APP_ID', 'LIFELINE_SLACK_SECRET_ARN']) {
      expect(problems).toContain(`${key} is required`);
    }
  });

  it('refuse a secret given by name instead of its complete ARN', () => {
    expect(() => readWorkflowTasksConfig({ ...lambdaEnv, LIFELINE_SLACK_SECRET_ARN: 'lifeline/slack-app' })).toThrow(/LIFELINE_SLACK_SECRET_ARN must be the complete ARN/);
  });

  it('verify tokens with real credentials from the installation store, not a placeholder', async () => {
    const deps = await composeAwsWorkflowTasks(readWorkflowTasksConfig(lambdaEnv), { secrets: secret({ clientId: '111.222', clientSecret }) })();

    expect(deps.credentials).toBeInstanceOf(InstallationCredentials);
    expect(deps.links).toBeInstanceOf(DynamoDbLinkStore);
    expect(typeof makeHandler(deps)).toBe('function');
  });

  it('let a Socket Mode reactivation through with the app-level token (auth.test does not take it)', async () => {
    const current = composeAwsWorkflowTasks(readWorkflowTasksConfig(socketEnv), { secrets: secret({ clientId: '111.222', clientSecret, appToken }) });
    const handler = makeHandler(await current());

    await expect(handler({ task: 'verifyToken', linkId: 'sm:A0TEST:0', tokenVersion: 1 })).resolves.toMatchObject({ proceed: true });
  });

  it('keep their ports while the secret is unchanged and take a rotated app token on the next task', async () => {
    const source = secret({ clientId: '111.222', clientSecret, appToken });
    const current = composeAwsWorkflowTasks(readWorkflowTasksConfig(socketEnv), { secrets: source });
    const before = await current();

    expect(await current()).toBe(before);
    source.replace({ clientId: '111.222', clientSecret, appToken: rotatedAppToken });
    const after = await current();
    expect(after).not.toBe(before);
    expect(after.links).toBe(before.links);
    await expect(after.credentials.forLink(slot)).resolves.toEqual({ token: rotatedAppToken, tokenVersion: 1 });
  });

  it('fail a task with the secret and the field named when a field is wrong, never its value', async () => {
    const fields = { clientId: '111.222', clientSecret, appToken: clientSecret };
    const current = composeAwsWorkflowTasks(readWorkflowTasksConfig(socketEnv), {
      secrets: new StaticSecretSource(secretArn, fields, slackAppSecretSpec(tokenOpenerSecretFields('socket'))),
    });

    const error = await current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretMalformedError);
    expect((error as Error).message).toBe(`secret ${secretArn} is malformed:\n  - field "appToken" must be an app-level token (xapp-...)`);
  });
});
