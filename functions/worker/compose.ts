import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventDedupe, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { IpcConnectQueue, IpcCredentials, IpcSink, IpcWorkflow, parentEndpoint } from '../../shared/adapters/ipc';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { ConfigError } from '../../shared/config';
import { IntervalTicker, openSlackConnection } from './connection';
import type { WorkerConfig } from './config';
import type { WorkerDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/** Builds a worker's ports from its configuration: the one place adapters are chosen. */
export function composeWorker(config: WorkerConfig): { deps: WorkerDeps; ticker: IntervalTicker } {
  if (config.mode !== 'embedded') {
    throw new ConfigError([
      'LIFELINE_MODE=aws needs the Step Functions workflow and the installation store, which are not built yet; use LIFELINE_MODE=embedded',
    ]);
  }
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { workerId: config.workerId } });
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const table = { client, tableName: config.tableName };
  const parent = parentEndpoint();
  const ticker = new IntervalTicker();
  const deps: WorkerDeps = {
    workerId: config.workerId,
    links: new DynamoDbLinkStore(table),
    registry: new DynamoDbWorkerRegistry(table),
    dedupe: new DynamoDbEventDedupe(table),
    queue: new IpcConnectQueue(parent),
    workflow: new IpcWorkflow(parent),
    credentials: new IpcCredentials(parent),
    sink: new IpcSink(parent),
    slack: new HttpSlackApi({ apiUrl: config.slackApiUrl }),
    metrics: new EmfMetrics({ write: stdout }),
    log,
    openConnection: (args) => openSlackConnection({ ...args, liveness: config.liveness, ticker }),
    clock: Date,
    random: Math.random,
  };
  return { deps, ticker };
}
