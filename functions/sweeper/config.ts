import { EnvReader } from '../../shared/config';

/** The sweeper Lambda's environment, read once at cold start. */
export interface SweeperConfig {
  tableName: string;
  region: string;
  connectQueueUrl: string;
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function readSweeperConfig(env: Record<string, string | undefined>): SweeperConfig {
  const read = new EnvReader(env);
  const config: SweeperConfig = {
    tableName: read.required('LIFELINE_TABLE_NAME', 'the DynamoDB table holding links and workers'),
    region: read.optional('AWS_REGION') ?? 'us-east-1',
    connectQueueUrl: read.required('LIFELINE_CONNECT_QUEUE_URL', 'where connect commands go'),
    restartStateMachineArn: read.required('LIFELINE_RESTART_STATE_MACHINE_ARN', 'where re-announced retries go'),
    // The Workflow adapter wants both; the sweeper never starts a reactivation (and may not).
    reactivationStateMachineArn: read.required('LIFELINE_REACTIVATION_STATE_MACHINE_ARN', 'the reactivation workflow'),
    logLevel: read.oneOf('LIFELINE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  read.done();
  return config;
}
