import type { EnvReader } from './env';
import { ENV } from './env-keys';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What every process reads the same way: its log level, its region, Slack's Web API base. */
export const readLogLevel = (read: EnvReader): LogLevel => read.oneOf(ENV.logLevel, LOG_LEVELS);

/** `AWS_REGION`, else `AWS_DEFAULT_REGION` (as the AWS SDK reads them), else the table's default. */
export const readRegion = (read: EnvReader): string => read.optional(ENV.region) ?? read.optional(ENV.defaultRegion) ?? ENV.region.default;

/** Slack's Web API base, always ending in `/` so method names append. */
export const readSlackApiUrl = (read: EnvReader): string => {
  const url = read.withDefault(ENV.slackApiUrl);
  return url.endsWith('/') ? url : `${url}/`;
};
