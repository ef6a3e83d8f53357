export { compact, ConfigError, EnvReader } from './env';
export { withDotEnv, type DotEnv } from './dotenv';
export { envKeys } from './env-keys';
export { readSlackAppSecrets, type SlackAppSecretsConfig } from './slack-app-secrets';
