import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, type DynaliteServer } from '../../shared/adapters/dynalite';

export interface EmbeddedStore {
  server: DynaliteServer;
  client: DynamoDBClient;
  tableName: string;
  links: DynamoDbLinkStore;
  registry: DynamoDbWorkerRegistry;
  created: boolean;
  path: string;
}

/** The store on disk (`<dataDir>/store`, LevelDB through dynalite), with the table made from the shared schema. */
export async function openEmbeddedStore(dataDir: string, tableName: string): Promise<EmbeddedStore> {
  const path = join(dataDir, 'store');
  const server = await startDynaliteServer({ path });
  // Local engines accept any credentials, but the SDK insists on some.
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const created = (await ensureLinkTable(client, tableName)) === 'created';
  const table = { client, tableName };
  return { server, client, tableName, links: new DynamoDbLinkStore(table), registry: new DynamoDbWorkerRegistry(table), created, path };
}
