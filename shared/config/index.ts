export { compact, ConfigError, EnvReader } from './env';
export { envKeys } from './env-keys';
export { readSlackAppSecrets, type SlackAppSecretsConfig } from './slack-app-secrets';
