import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { linkTable, type KeyAttribute } from '../../shared/schema';

export interface LinkTableProps {
  /** Customer-managed key for encryption at rest; an AWS-owned key when omitted. */
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
 *
 * `Table`, not `TableV2`: TableV2 cannot render a customer-managed key in an
 * environment-agnostic stack (ReplicaSpecificationCannotRenderedRegion), and our stacks stay
 * environment-agnostic so synth never calls AWS.
 */
export class LinkTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: LinkTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(linkTable.partitionKey),
      sortKey: attribute(linkTable.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: linkTable.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.DEFAULT }),
    });
    for (const index of Object.values(linkTable.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      });
    }
  }
}
