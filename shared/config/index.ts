export { compact, ConfigError, EnvReader } from './env';
export { withDotEnv, type DotEnv } from './dotenv';
export { LOG_LEVELS, readLogLevel, readRegion, readSlackApiUrl, type LogLevel } from './common-settings';
export { DEFAULT_APP_PROTOCOL, ENV, envKeys, type EnvKey, type EnvKeyId } from './env-keys';
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
