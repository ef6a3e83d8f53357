import { EnvReader, readSlackSecretArn } from '../../shared/config';
import type { SecretFields } from '../../shared/ports';
import type { SlackAppConfig } from './deps';

/** The app's secrets: read from the Slack app secret at run time, never from the environment. */
type SlackAppSecretKeys = 'clientId' | 'clientSecret' | 'signingSecret' | 'stateSecret';

/** The app's non-secret settings, from the environment. */
export type SlackAppSettings = Omit<SlackAppConfig, SlackAppSecretKeys>;

/** What the OAuth/Events Lambda is configured with. */
export interface HttpConfig {
  app: SlackAppSettings;
  /** The Slack app secret (`httpEndpointSecretFields`), by complete ARN. */
  slackSecretArn: string;
  tableName: string;
  region: string;
  dynamodbEndpoint?: string;
  slackApiUrl: string;
  /** AWS: the KMS key sealing tokens. */
  kmsKeyId: string;
  /** AWS: the workers' connect queue. */
  connectQueueUrl: string;
  /** AWS: the workflows that connect (after a first install) and reactivate (after a reinstall). */
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

const list = (raw: string | undefined): string[] => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The app as the handler needs it: its settings with the secret's current fields (checked by the source). */
export const slackAppConfig = (settings: SlackAppSettings, fields: SecretFields): SlackAppConfig => ({
  ...settings,
  clientId: fields.clientId ?? '',
  clientSecret: fields.clientSecret ?? '',
  signingSecret: fields.signingSecret ?? '',
  stateSecret: fields.stateSecret ?? '',
});

/** Reads the environment once, naming every missing key in one error. */
export function readHttpConfig(env: Record<string, string | undefined>): HttpConfig {
  const read = new EnvReader(env);
  const protocol = read.oneOf('LIFELINE_APP_PROTOCOL', ['rtm', 'socket'] as const, 'rtm');
  // A classic RTM app asks for the one classic scope; a Socket Mode app must say what it needs.
  const scopes = list(protocol === 'rtm' ? (read.optional('SLACK_SCOPES') ?? 'bot') : read.required('SLACK_SCOPES', 'bot scopes asked for at install, comma-separated'));
  const config: HttpConfig = {
    app: {
      appId: read.required('SLACK_APP_ID', 'the Slack app whose installs this endpoint takes'),
      protocol,
      scopes,
      userScopes: list(read.optional('SLACK_USER_SCOPES')),
      authorizeUrl: read.optional('SLACK_AUTHORIZE_URL') ?? 'https://slack.com/oauth/v2/authorize',
      redirectUri: read.required('SLACK_REDIRECT_URI', 'the public URL of /slack/oauth_redirect, as registered with Slack'),
    },
    slackSecretArn: readSlackSecretArn(read),
    tableName: read.required('LIFELINE_TABLE_NAME', 'the DynamoDB table holding links and installations'),
    region: read.optional('AWS_REGION') ?? read.optional('AWS_DEFAULT_REGION') ?? 'us-east-1',
    slackApiUrl: read.optional('SLACK_API_URL') ?? 'https://slack.com/api/',
    kmsKeyId: read.required('LIFELINE_KMS_KEY_ID', 'the KMS key that seals bot tokens'),
    connectQueueUrl: read.required('LIFELINE_CONNECT_QUEUE_URL', 'the workers\' connect queue (SQS)'),
    restartStateMachineArn: read.required('LIFELINE_RESTART_STATE_MACHINE_ARN', 'the restart workflow (retries after a detached effect)'),
    reactivationStateMachineArn: read.required('LIFELINE_REACTIVATION_STATE_MACHINE_ARN', 'the reactivation workflow, started by a reinstall'),
    logLevel: read.oneOf('LIFELINE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  const endpoint = read.optional('LIFELINE_DYNAMODB_ENDPOINT');
  if (endpoint) config.dynamodbEndpoint = endpoint;
  for (const key of ['SLACK_AUTHORIZE_URL', 'SLACK_REDIRECT_URI'] as const) {
    const value = env[key];
    if (value && !URL.canParse(value)) read.problems.push(`${key} must be an absolute URL`);
  }
  read.done();
  return config;
}
