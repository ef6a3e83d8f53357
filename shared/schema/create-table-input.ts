import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { linkTable, type KeyAttribute } from './link-table';

// Plain request data (a type-only SDK import): tests and the embedded mode create the table with
// it; the CDK construct builds the same shape from `linkTable` itself.

const attributeDefinitions = (): CreateTableCommandInput['AttributeDefinitions'] => {
  const keys: KeyAttribute[] = [
    linkTable.partitionKey,
    linkTable.sortKey,
    ...Object.values(linkTable.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const byName = new Map(keys.map((key) => [key.name, key.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

export const linkTableCreateInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: attributeDefinitions(),
  KeySchema: [
    { AttributeName: linkTable.partitionKey.name, KeyType: 'HASH' },
    { AttributeName: linkTable.sortKey.name, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: Object.values(linkTable.indexes).map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  })),
});
