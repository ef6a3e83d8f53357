import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StatefulStack } from '../../infra/stacks/stateful-stack';
import { synthLifeline } from './synth';

describe('stateful stack', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const template = Template.fromStack(new StatefulStack(app, 'Stateful', { appId: 'A0TEST', tokenOpenerRoleArns: ['arn:aws:iam::111122223333:role/opener'] }));

  it('pins the logical ids of the table and its two keys, so no refactor can replace them', () => {
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual(['LifelineTable']);
    expect(Object.keys(template.findResources('AWS::KMS::Key')).sort()).toEqual(['LifelineDataKey', 'LifelineTokenKey']);
  });

  it('encrypts the table with its own rotating key, keeps a second rotating key for tokens, and retains all three', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['LifelineDataKey', 'Arn'] } },
    });
  });
});

describe('stateful stack in the app', () => {
  it('keeps the pinned ids when built by the app, under its default stack name', () => {
    const { stateful, stacks } = synthLifeline();

    expect(stacks.stateful.stackName).toBe('LifelineStateful');
    expect(Object.keys(stateful.findResources('AWS::DynamoDB::Table'))).toEqual(['LifelineTable']);
    expect(Object.keys(stateful.findResources('AWS::KMS::Key')).sort()).toEqual(['LifelineDataKey', 'LifelineTokenKey']);
    stateful.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true }, DeletionProtectionEnabled: true });
  });
});
