import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedStoreCalls, DEFAULT_STORE_ATTEMPT_TIMEOUT_MS, DynamoDbAppTokenMemory, DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { composeAwsPorts } from './compose-aws';
import { composeEmbeddedPorts } from './compose-embedded';
import { IntervalTicker, openSlackConnection } from './connection';
import type { WorkerConfig } from './config';
import type { WorkerDeps } from './deps';
import type { AppTokenMemory } from '../../shared/ports';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * Builds a worker's ports from its configuration: the one place adapters are chosen. The table,
 * Slack and metrics are the same in both modes; the queue, workflow, credentials and sink are the
 * parent's (over IPC) embedded and the AWS services on Fargate.
 */
export function composeWorker(config: WorkerConfig): { deps: WorkerDeps; ticker: IntervalTicker; appTokens?: AppTokenMemory } {
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { workerId: config.workerId } });
  // Every store call is bounded (a held request fails instead of hanging; see `boundedStoreCalls`).
  const dynamodb = (attempts: { maxAttempts?: number; attemptTimeoutMs?: number } = {}) =>
    new DynamoDBClient({
      region: config.region,
      ...boundedStoreCalls({ ...(config.storeTimeoutMs ? { attemptTimeoutMs: config.storeTimeoutMs } : {}), ...attempts }),
      ...(config.dynamodbEndpoint
        ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  const table = { client: dynamodb(), tableName: config.tableName };
  // Heartbeats get a client (and so a connection pool) of their own: during a cold start or a
  // storm thousands of link writes queue in the shared pool, and a heartbeat stuck behind them
  // would make a busy, healthy worker fence itself. One attempt per call: membership retries a
  // failed renewal itself, at once and with its own backoff.
  const heartbeatTable = { client: dynamodb({ maxAttempts: 1 }), tableName: config.tableName };
  // The dedupe claim stands between an event and the bot, inside Slack's 3 s ack window: one
  // attempt, no retry, at most 1 s, so a held store still leaves the bot its time and the ack
  // lands before Slack redelivers (a redelivery while the claim cannot be made would reach the
  // bot twice). A claim that fails is delivered without it: a duplicate beats a loss.
  const dedupeTimeoutMs = Math.min(config.storeTimeoutMs ?? DEFAULT_STORE_ATTEMPT_TIMEOUT_MS, 1_000);
  const dedupeTable = { client: dynamodb({ maxAttempts: 1, attemptTimeoutMs: dedupeTimeoutMs }), tableName: config.tableName };
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
    dedupe: new DynamoDbEventDedupe(dedupeTable),
    installations: new DynamoDbInstallationStore(table),
    ...ports,
    slack,
    metrics: new EmfMetrics({ write: stdout }),
    log,
    openConnection: (args) => openSlackConnection({ ...args, liveness: config.liveness, ticker }),
    clock,
    random: Math.random,
  };
  // AWS: the fleet's memory of the app token, in the table (embedded, the parent keeps it in the data dir).
  return { deps, ticker, ...(config.mode === 'aws' ? { appTokens: new DynamoDbAppTokenMemory(table) } : {}) };
}
