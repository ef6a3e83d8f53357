import { EnvReader, readSlackAppIdentity, readSlackSecretArn, type SlackAppIdentity } from '../../shared/config';

/** The task Lambda's environment, read once at cold start. */
export interface WorkflowTasksConfig {
  tableName: string;
  region: string;
  slackApiUrl: string;
  /** The key sealing installations' tokens: VerifyToken opens one, a rotation seals a new one. */
  kmsKeyId: string;
  app: SlackAppIdentity;
  /** The Slack app secret (client credentials, and the app token for Socket Mode): read at run time, never from the environment. */
  slackSecretArn: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function readWorkflowTasksConfig(env: Record<string, string | undefined>): WorkflowTasksConfig {
  const read = new EnvReader(env);
  const config: WorkflowTasksConfig = {
    tableName: read.required('LIFELINE_TABLE_NAME', 'the DynamoDB table holding links and installations'),
    region: read.optional('AWS_REGION') ?? 'us-east-1',
    slackApiUrl: read.optional('SLACK_API_URL') ?? 'https://slack.com/api/',
    kmsKeyId: read.required('LIFELINE_KMS_KEY_ID', 'the KMS key sealing installations\' tokens'),
    app: readSlackAppIdentity(read),
    slackSecretArn: readSlackSecretArn(read),
    logLevel: read.oneOf('LIFELINE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  if (!config.slackApiUrl.endsWith('/')) config.slackApiUrl += '/';
  read.done();
  return config;
}
