import { describe, expect, it } from 'vitest';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { InstallationCredentials } from '../../shared/app';
import { ConfigError } from '../../shared/config';
import { composeAwsWorkflowTasks } from '../../functions/workflow-tasks/compose-aws';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import { makeHandler } from '../../functions/workflow-tasks';
import { registerSecrets } from '../support/log-capture';

const clientSecret = 'tasks-client-secret-0a1b2c3d';
const appToken = 'xapp-1-A0TEST-5678-fedcba9876543210';
registerSecrets(clientSecret, appToken);

/** What the WorkflowTasks construct gives the Lambda. */
const lambdaEnv = {
  LIFELINE_TABLE_NAME: 'links',
  AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  SLACK_APP_ID: 'A0TEST',
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: clientSecret,
  LIFELINE_APP_PROTOCOL: 'rtm',
};

describe('workflow tasks on AWS', () => {
  it('name every missing key at cold start, the installation store\'s and the app\'s included', () => {
    let error: unknown;
    try {
      readWorkflowTasksConfig({ LIFELINE_APP_PROTOCOL: 'socket' });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['LIFELINE_TABLE_NAME', 'LIFELINE_KMS_KEY_ID', 'SLACK_APP_ID', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_APP_TOKEN']) {
      expect(problems).toContain(`${key} is required`);
    }
  });

  it('verify tokens with real credentials from the installation store, not a placeholder', () => {
    const deps = composeAwsWorkflowTasks(readWorkflowTasksConfig(lambdaEnv));

    expect(deps.credentials).toBeInstanceOf(InstallationCredentials);
    expect(deps.links).toBeInstanceOf(DynamoDbLinkStore);
    expect(typeof makeHandler(deps)).toBe('function');
  });

  it('let a Socket Mode reactivation through with the app-level token (auth.test does not take it)', async () => {
    const deps = composeAwsWorkflowTasks(readWorkflowTasksConfig({ ...lambdaEnv, LIFELINE_APP_PROTOCOL: 'socket', SLACK_APP_TOKEN: appToken }));
    const handler = makeHandler(deps);

    await expect(handler({ task: 'verifyToken', linkId: 'sm:A0TEST:0', tokenVersion: 1 })).resolves.toMatchObject({ proceed: true });
  });
});
