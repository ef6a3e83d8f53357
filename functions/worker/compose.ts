import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { composeAwsPorts } from './compose-aws';
import { composeEmbeddedPorts } from './compose-embedded';
import { IntervalTicker, openSlackConnection } from './connection';
import type { WorkerConfig } from './config';
import type { WorkerDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * Builds a worker's ports from its configuration: the one place adapters are chosen. The table,
 * Slack and metrics are the same in both modes; the queue, workflow, credentials and sink are the
 * parent's (over IPC) embedded and the AWS services on Fargate.
 */
export function composeWorker(config: WorkerConfig): { deps: WorkerDeps; ticker: IntervalTicker } {
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { workerId: config.workerId } });
  const dynamodb = () =>
    new DynamoDBClient({
      region: config.region,
      ...(config.dynamodbEndpoint
        ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  const table = { client: dynamodb(), tableName: config.tableName };
  // Heartbeats get a client (and so a connection pool) of their own: during a cold start or a
  // storm thousands of link writes queue in the shared pool, and a heartbeat stuck behind them
  // would make a busy, healthy worker fence itself.
  const heartbeatTable = { client: dynamodb(), tableName: config.tableName };
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  const clock = Date;
  const ticker = new IntervalTicker();
  const ports = config.mode === 'aws'
    ? composeAwsPorts(config.aws, { region: config.region, table, slack, clock, log })
    : composeEmbeddedPorts();
  const deps: WorkerDeps = {
    workerId: config.workerId,
    links: new DynamoDbLinkStore(table),
    registry: new DynamoDbWorkerRegistry(heartbeatTable),
    dedupe: new DynamoDbEventDedupe(table),
    installations: new DynamoDbInstallationStore(table),
    ...ports,
    slack,
    metrics: new EmfMetrics({ write: stdout }),
    log,
    openConnection: (args) => openSlackConnection({ ...args, liveness: config.liveness, ticker }),
    clock,
    random: Math.random,
  };
  return { deps, ticker };
}
