export { compact, ConfigError, EnvReader } from './env';
export { withDotEnv, type DotEnv } from './dotenv';
