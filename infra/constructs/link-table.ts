import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { linkTable, type KeyAttribute } from '../../shared/schema';

export interface LinkTableProps {
  /** Customer-managed key for encryption at rest; DynamoDB's own key when omitted. */
  readonly encryptionKey?: IKey;
}

const attributeTypes: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
};

const attribute = (key: KeyAttribute): Attribute => ({ name: key.name, type: attributeTypes[key.type] });

/**
 * The one Lifeline table (links, installations, workers, event dedupe), built from
 * `shared/schema` so the deployed keys and indexes are the ones the contract tests ran against.
 * It holds state that cannot be recreated, hence PITR, deletion protection and RETAIN.
 */
export class LinkTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: LinkTableProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(linkTable.partitionKey),
      sortKey: attribute(linkTable.sortKey),
      globalSecondaryIndexes: Object.values(linkTable.indexes).map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      })),
      timeToLiveAttribute: linkTable.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: props.encryptionKey
        ? TableEncryptionV2.customerManagedKey(props.encryptionKey)
        : TableEncryptionV2.dynamoOwnedKey(),
    });
  }
}
