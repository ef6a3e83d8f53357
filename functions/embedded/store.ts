import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, startTtlSweeper, type DynaliteServer, type TtlSweeper } from '../../shared/adapters/dynalite';
import type { Logger } from '../../shared/ports';

export interface EmbeddedStore {
  server: DynaliteServer;
  client: DynamoDBClient;
  tableName: string;
  links: DynamoDbLinkStore;
  registry: DynamoDbWorkerRegistry;
  /** Removes expired items (dynalite has no TTL). */
  ttl: TtlSweeper;
  created: boolean;
  path: string;
  /** Stops the sweep, then the server (pending writes finish first). */
  stop(): Promise<void>;
}

export interface EmbeddedStoreOptions {
  /** Storage failures and recoveries are reported here. */
  log?: Logger;
  /** What "expired" is measured against. Default the system clock. */
  clock?: { now(): number };
  /** Between expired-item sweeps. Default 60,000. */
  ttlSweepMs?: number;
}

/**
 * The store on disk (`<dataDir>/store`, LevelDB through dynalite), with the table made from the
 * shared schema, a storage guard (a full or read-only disk refuses writes, it does not end the
 * process) and a TTL sweep (dynalite ignores TTL; without it the dedupe items only grow).
 */
export async function openEmbeddedStore(dataDir: string, tableName: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const path = join(dataDir, 'store');
  const server = await startDynaliteServer({ path, ...(options.log ? { log: options.log } : {}) });
  // Local engines accept any credentials, but the SDK insists on some.
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const created = (await ensureLinkTable(client, tableName)) === 'created';
  const table = { client, tableName };
  const ttl = startTtlSweeper({
    client, tableName, clock: options.clock ?? Date, ...(options.log ? { log: options.log } : {}), ...(options.ttlSweepMs ? { intervalMs: options.ttlSweepMs } : {}),
  });
  return {
    server, client, tableName, links: new DynamoDbLinkStore(table), registry: new DynamoDbWorkerRegistry(table), ttl, created, path,
    stop: async () => {
      ttl.stop();
      await server.stop();
    },
  };
}
