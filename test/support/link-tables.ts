import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { linkTableCreateInput } from '../../shared/schema';

/** Clients for local engines: they accept any credentials, but the SDK insists on some. */
export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a table from the shared schema under a fresh name and waits until it and its indexes are active. */
export const createLinkTable = async (client: DynamoDBClient): Promise<string> => {
  const tableName = `links-${randomUUID()}`;
  await client.send(new CreateTableCommand(linkTableCreateInput(tableName)));
  for (let polls = 0; polls < 200; polls++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return tableName;
    await sleep(25);
  }
  throw new Error(`table ${tableName} did not become active`);
};

/** A LinkStore on its own new table, so test files and tests never share data. */
export const newLinkStore = async (client: DynamoDBClient): Promise<DynamoDbLinkStore> =>
  new DynamoDbLinkStore({ client, tableName: await createLinkTable(client) });
