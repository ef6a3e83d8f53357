import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { LinkTable } from '../constructs/link-table';
import { TokenKey } from '../constructs/token-key';

export interface StatefulStackProps extends StackProps {
  /** The Slack app whose tokens the token key wraps (the only `app` its encryption context may name). */
  readonly appId: string;
  /**
   * The roles that open Slack tokens, by ARN (`tokenOpenerRoleNames`: the orchestrator's worker
   * task, workflow tasks and HTTP roles), plus any other that must, such as a bot's own role.
   */
  readonly tokenOpenerRoleArns: readonly string[];
  /** A bot's own role (its Lambda's `authorize`): the token key lets it open bot tokens, nothing more. */
  readonly botRoleArn?: string;
}

/**
 * What cannot be recreated: the table, the key that encrypts it, and the key that wraps Slack
 * tokens. Kept in their own stack so the orchestrator (workers, workflows, Lambdas) can be torn
 * down and redeployed freely, and their logical ids are pinned so a refactor can never replace
 * them: a new token key could not open a single token sealed by the old one.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  /** Encrypts the table at rest; used by DynamoDB on its callers' behalf (`kms:ViaService`). */
  readonly key: Key;
  /** Wraps the data keys of sealed Slack tokens; only the token openers may use it. */
  readonly tokenKey: Key;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', {
      description: 'Lifeline: encrypts the links table at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new LinkTable(this, 'Links', { encryptionKey: this.key }).table;
    this.tokenKey = new TokenKey(this, 'Tokens', {
      appId: props.appId,
      openerRoleArns: props.tokenOpenerRoleArns,
      ...(props.botRoleArn ? { botTokenReaderRoleArns: [props.botRoleArn] } : {}),
    }).key;
    this.overrideLogicalId(this.key, 'LifelineDataKey');
    this.overrideLogicalId(this.table, 'LifelineTable');
    this.overrideLogicalId(this.tokenKey, 'LifelineTokenKey');
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    // What a bot's Lambda is given (LIFELINE_TABLE_NAME, LIFELINE_KMS_KEY_ID) to authorize on its own.
    new CfnOutput(this, 'TokenKeyArn', { value: this.tokenKey.keyArn, description: "The bot's Lambda: LIFELINE_KMS_KEY_ID" });
  }

  private overrideLogicalId(construct: Key | Table, logicalId: string): void {
    const cfn = construct.node.defaultChild;
    if (cfn && 'overrideLogicalId' in cfn && typeof cfn.overrideLogicalId === 'function') cfn.overrideLogicalId(logicalId);
  }
}
