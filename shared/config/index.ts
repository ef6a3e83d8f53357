export { compact, ConfigError, EnvReader } from './env';
export { withDotEnv, type DotEnv } from './dotenv';
export { envKeys } from './env-keys';
export {
  readSlackAppIdentity,
  readSlackAppSecrets,
  readSlackSecretArn,
  SLACK_SECRET_MAX_AGE_MS,
  slackAppSecretsFrom,
  slackAppSecretSpec,
  type SlackAppIdentity,
  type SlackAppSecretsConfig,
} from './slack-app-secrets';
