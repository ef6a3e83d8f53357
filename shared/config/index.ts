export { compact, ConfigError, EnvReader } from './env';
