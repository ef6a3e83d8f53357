import { EnvReader } from '../../shared/config';

/** The task Lambda's environment, read once at cold start. */
export interface WorkflowTasksConfig {
  tableName: string;
  region: string;
  slackApiUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function readWorkflowTasksConfig(env: Record<string, string | undefined>): WorkflowTasksConfig {
  const read = new EnvReader(env);
  const config: WorkflowTasksConfig = {
    tableName: read.required('LIFELINE_TABLE_NAME', 'the DynamoDB table holding links'),
    region: read.optional('AWS_REGION') ?? 'us-east-1',
    slackApiUrl: read.optional('SLACK_API_URL') ?? 'https://slack.com/api/',
    logLevel: read.oneOf('LIFELINE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  if (!config.slackApiUrl.endsWith('/')) config.slackApiUrl += '/';
  read.done();
  return config;
}
