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
const tableKeyActions = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/**
 * Grants table actions on the table and on each of its indexes by name: CDK's own `grant*`
 * scope indexes as `<table>/index/*`; naming them keeps every resource exact.
 */
export function grantTable(grantee: IGrantable, table: ITable, key: IKey | undefined, actions: readonly string[]): void {
  const indexArns = Object.values(linkTable.indexes).map((index) => `${table.tableArn}/index/${index.indexName}`);
  Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn, ...indexArns] });
  key?.grant(grantee, ...tableKeyActions);
}

/** Application-level token encryption (`KmsEnvelopeCipher`): sealing needs a data key, opening a Decrypt. */
export const tokenKeyActions = {
  seal: ['kms:GenerateDataKey'],
  open: ['kms:Decrypt'],
} as const;
