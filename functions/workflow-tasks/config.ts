import { ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl, readSlackAppSecrets, type LogLevel, type SlackAppSecretsConfig } from '../../shared/config';

/** The task Lambda's environment, read once at cold start. */
export interface WorkflowTasksConfig {
  tableName: string;
  region: string;
  slackApiUrl: string;
  /** The key sealing installations' tokens: VerifyToken opens one, a rotation seals a new one. */
  kmsKeyId: string;
  app: SlackAppSecretsConfig;
  logLevel: LogLevel;
}

export function readWorkflowTasksConfig(env: Record<string, string | undefined>): WorkflowTasksConfig {
  const read = new EnvReader(env);
  const config: WorkflowTasksConfig = {
    tableName: read.required(ENV.tableName),
    region: readRegion(read),
    slackApiUrl: readSlackApiUrl(read),
    kmsKeyId: read.required(ENV.keyId),
    app: readSlackAppSecrets(read),
    logLevel: readLogLevel(read),
  };
  read.done();
  return config;
}
