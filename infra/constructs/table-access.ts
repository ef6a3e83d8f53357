import { Aws } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { linkTable } from '../../shared/schema';

/**
 * What each component does to the one table, as explicit DynamoDB actions (the adapters use
 * Get/Put/Update/Delete/Query and nothing else: no Scan, no batch, no transactions).
 */
export const tableActions = {
  /** Worker, OAuth/events, workflow tasks: every item type. */
  readWrite: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  /** Sweeper: moves existing links and removes dead workers' items; never creates items. */
  sweep: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
} as const;

/**
 * Table encryption at rest goes through KMS on the caller's behalf. These are the data-plane
 * calls DynamoDB makes for item reads and writes: CDK's `grantReadWriteData` would add
 * `kms:ReEncrypt*` and `kms:GenerateDataKey*`, wildcards this project keeps out of its policies.
 */
export const tableKeyActions = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** Only DynamoDB, in this region, may use the table key for the caller: a role cannot call KMS with it directly. */
export const viaDynamoDb = (): Record<string, Record<string, string>> => ({
  StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` },
});

/**
 * Grants table actions on the table and on each of its indexes by name: CDK's own `grant*`
 * scope indexes as `<table>/index/*`; naming them keeps every resource exact.
 */
export function grantTable(grantee: IGrantable, table: ITable, key: IKey | undefined, actions: readonly string[]): void {
  const indexArns = Object.values(linkTable.indexes).map((index) => `${table.tableArn}/index/${index.indexName}`);
  Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn, ...indexArns] });
  if (key) Grant.addToPrincipal({ grantee, actions: [...tableKeyActions], resourceArns: [key.keyArn], conditions: viaDynamoDb() });
}
