import { ENV, EnvReader, readLogLevel, readRegion, type LogLevel } from '../../shared/config';

/** The sweeper Lambda's environment, read once at cold start. */
export interface SweeperConfig {
  tableName: string;
  region: string;
  connectQueueUrl: string;
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
  logLevel: LogLevel;
}

export function readSweeperConfig(env: Record<string, string | undefined>): SweeperConfig {
  const read = new EnvReader(env);
  const config: SweeperConfig = {
    tableName: read.required(ENV.tableName),
    region: readRegion(read),
    connectQueueUrl: read.required(ENV.connectQueueUrl),
    restartStateMachineArn: read.required(ENV.restartStateMachineArn),
    // The Workflow adapter wants both; the sweeper never starts a reactivation (and may not).
    reactivationStateMachineArn: read.required(ENV.reactivationStateMachineArn),
    logLevel: readLogLevel(read),
  };
  read.done();
  return config;
}
