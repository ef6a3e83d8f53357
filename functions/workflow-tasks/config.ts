import { ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl, readSlackAppIdentity, readSlackSecretArn, type LogLevel, type SlackAppIdentity } from '../../shared/config';

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
  /** Where the bot hears what a task parked or brought back (`lifeline.parked`, `lifeline.reactivated`); absent: only logged. */
  eventBusName?: string;
  logLevel: LogLevel;
}

export function readWorkflowTasksConfig(env: Record<string, string | undefined>): WorkflowTasksConfig {
  const read = new EnvReader(env);
  const config: WorkflowTasksConfig = {
    tableName: read.required(ENV.tableName),
    region: readRegion(read),
    slackApiUrl: readSlackApiUrl(read),
    kmsKeyId: read.required(ENV.keyId),
    app: readSlackAppIdentity(read),
    slackSecretArn: readSlackSecretArn(read),
    logLevel: readLogLevel(read),
  };
  const eventBusName = read.optional(ENV.eventBusName);
  if (eventBusName) config.eventBusName = eventBusName;
  read.done();
  return config;
}
