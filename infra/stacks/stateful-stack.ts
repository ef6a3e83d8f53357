import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { LinkTable } from '../constructs/link-table';

/**
 * What cannot be recreated: the table and the key that encrypts it. Kept in its own stack so
 * the orchestrator (workers, workflows, Lambdas) can be torn down and redeployed freely, and
 * its logical ids are pinned so a refactor can never replace the table.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', {
      description: 'Lifeline: encrypts the links table at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new LinkTable(this, 'Links', { encryptionKey: this.key }).table;
    this.overrideLogicalId(this.key, 'LifelineDataKey');
    this.overrideLogicalId(this.table, 'LifelineTable');
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }

  private overrideLogicalId(construct: Key | Table, logicalId: string): void {
    const cfn = construct.node.defaultChild;
    if (cfn && 'overrideLogicalId' in cfn && typeof cfn.overrideLogicalId === 'function') cfn.overrideLogicalId(logicalId);
  }
}
