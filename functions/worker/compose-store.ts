import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedStoreCalls, DEFAULT_STORE_ATTEMPT_TIMEOUT_MS, DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import type { WorkerConfig } from './config';
import type { WorkerDeps } from './deps';

/** What a worker's store clients are built from: the part of its configuration about the table. */
export type StoreConfig = Pick<WorkerConfig, 'region' | 'tableName' | 'dynamodbEndpoint' | 'storeTimeoutMs'>;

export interface WorkerStore extends Pick<WorkerDeps, 'links' | 'registry' | 'dedupe'> {
  installations: DynamoDbInstallationStore;
  /** The link table's client (links, installations), for adapters composed beside these. */
  table: { client: DynamoDBClient; tableName: string };
  /** Closes every client's connections. */
  destroy(): void;
}

/**
 * A worker's store adapters, as every worker runs them (`composeWorker`, and the bench's
 * Lifeline column): one place, so what is measured is what ships.
 */
export function composeWorkerStore(config: StoreConfig): WorkerStore {
  // Every store call is bounded (a held request fails instead of hanging; see `boundedStoreCalls`).
  const dynamodb = (attempts: { maxAttempts?: number; attemptTimeoutMs?: number } = {}) =>
    withoutSdkLogging(new DynamoDBClient({
      region: config.region,
      ...boundedStoreCalls({ ...(config.storeTimeoutMs ? { attemptTimeoutMs: config.storeTimeoutMs } : {}), ...attempts }),
      ...(config.dynamodbEndpoint
        ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    }));
  const table = { client: dynamodb(), tableName: config.tableName };
  // Link writes on a client (and so a connection pool) of their own. The link store sends with
  // this client's configuration and request handler but none of its middleware (`JsonProtocolCalls`).
  const linkTable = { client: dynamodb(), tableName: config.tableName };
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
  return {
    table,
    links: new DynamoDbLinkStore(linkTable),
    registry: new DynamoDbWorkerRegistry(heartbeatTable),
    dedupe: new DynamoDbEventDedupe(dedupeTable),
    installations: new DynamoDbInstallationStore(table),
    destroy: () => {
      for (const { client } of [table, linkTable, heartbeatTable, dedupeTable]) client.destroy();
    },
  };
}

/**
 * The SDK's logger middleware goes: no client here is given a logger, yet with the default no-op
 * one it still copies every input and output through the schema's redaction filter before
 * discarding them: that filter was the SDK function with the most CPU of its own in a 5,000-link
 * cold start profile (138–203 ms over ~9,600 calls), plus the garbage of the copies. Store failures
 * reach our own log through the callers, which never log items or tokens.
 */
export function withoutSdkLogging(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
