import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { LinkTable } from '../../infra/constructs/link-table';
import { linkTable, linkTableCreateInput } from '../../shared/schema';

// The deployed table must have exactly the keys and indexes the contract suite ran against.

const synth = (withKey = false): Template => {
  // No asset bundling: this test only reads the table's template.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stateful');
  new LinkTable(stack, 'Links', withKey ? { encryptionKey: new Key(stack, 'Key') } : {});
  return Template.fromStack(stack);
};

const sortBy = <T>(items: T[], key: (item: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));

describe('the link table construct', () => {
  const template = synth();
  const [resource] = Object.values(template.findResources('AWS::DynamoDB::Table'));
  const props = (resource as { Properties: Record<string, unknown> }).Properties;
  const tested = linkTableCreateInput('any');

  it('has the key schema, attributes and indexes of the shared schema', () => {
    expect(props.KeySchema).toEqual(tested.KeySchema);
    expect(sortBy(props.AttributeDefinitions as { AttributeName: string }[], (a) => a.AttributeName)).toEqual(
      sortBy(tested.AttributeDefinitions ?? [], (a) => a.AttributeName ?? ''),
    );
    const indexes = (props.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[]).map(
      ({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }),
    );
    expect(sortBy(indexes, (i) => i.IndexName)).toEqual(sortBy(tested.GlobalSecondaryIndexes ?? [], (i) => i.IndexName ?? ''));
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(['byOwner', 'byState']);
  });

  it('is on-demand, expires dedupe items, and is protected against loss', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: linkTable.timeToLiveAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts with the given KMS key', () => {
    const keyed = synth(true);
    keyed.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });
});
