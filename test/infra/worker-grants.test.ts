import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, synthLifeline, TEST_SECRET_ARN as secretArn } from './synth';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every (action, resource) pair a role's default policy allows, resources as JSON. */
function allowed(template: Template, policyPrefix: string): Array<{ action: string; resource: string }> {
  const document = onlyResource(template, 'AWS::IAM::Policy', policyPrefix).properties.PolicyDocument as { Statement: Statement[] };
  return document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    asList(s.Action).flatMap((action) => asList(s.Resource).map((resource) => ({ action, resource: JSON.stringify(resource) }))),
  );
}

const logicalId = (template: Template, type: string, prefix: string): string => onlyResource(template, type, prefix).id;

// What the worker's code calls on AWS (compose-aws.ts) is what its task role may do, and no more.
describe('worker task role: every call the AWS worker makes, on its own resources only', () => {
  const { orchestrator } = synthLifeline({ slack: { protocol: 'socket' } });
  const grants = allowed(orchestrator, 'WorkersTaskRoleDefaultPolicy');
  const on = (action: string) => grants.filter((g) => g.action === action).map((g) => g.resource);
  const restart = logicalId(orchestrator, 'AWS::StepFunctions::StateMachine', 'Restart');
  const reactivation = logicalId(orchestrator, 'AWS::StepFunctions::StateMachine', 'Reactivation');

  it('answers connect tasks of both workflows and schedules retries on the restart workflow only', () => {
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
      expect(on(action).join()).toContain(restart);
      expect(on(action).join()).toContain(reactivation);
    }
    expect(on('states:StartExecution')).toHaveLength(1);
    expect(on('states:StartExecution')[0]).toContain(restart);
  });

  it('consumes and sends connect commands on the connect queue, not its dead-letter queue', () => {
    const queue = logicalId(orchestrator, 'AWS::SQS::Queue', 'ConnectQueue4');
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage']) {
      expect(on(action)).toEqual([expect.stringContaining(queue)]);
    }
    expect(JSON.stringify(grants)).not.toContain(logicalId(orchestrator, 'AWS::SQS::Queue', 'ConnectQueueDeadLetters'));
  });

  it('puts events on its own bus, and opens and reseals tokens with the token key', () => {
    expect(on('events:PutEvents')).toEqual([expect.stringContaining(logicalId(orchestrator, 'AWS::Events::EventBus', 'Events'))]);
    // The token key directly; the table key only through DynamoDB (token-key.test.ts checks the conditions).
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      expect(on(action).sort()).toEqual([expect.stringContaining('LifelineDataKey'), expect.stringContaining('LifelineTokenKey')]);
    }
  });

  it('cannot read the Slack secret itself: only the execution role can, that one secret, at task start', () => {
    expect(grants.some((g) => g.action.startsWith('secretsmanager:'))).toBe(false);
    const execution = allowed(orchestrator, 'WorkersTaskExecutionRoleDefaultPolicy').filter((g) => g.action.startsWith('secretsmanager:'));
    expect(execution.map((g) => g.action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    for (const grant of execution) expect(grant.resource).toBe(JSON.stringify(secretArn));
  });

  it('lets only the HTTP and workflow-task Lambdas read the secret besides, GetSecretValue on that one secret only', () => {
    const holders = Object.entries(resourcesOf(orchestrator))
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('secretsmanager:'))
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(holders.sort()).toEqual(['HttpHandlerRoleDefaultPolicy', 'WorkersTaskExecutionRoleDefaultPolicy', 'WorkflowTasksHandlerRoleDefaultPolicy']);
    for (const prefix of ['HttpHandlerRoleDefaultPolicy', 'WorkflowTasksHandlerRoleDefaultPolicy']) {
      const secretGrants = allowed(orchestrator, prefix).filter((g) => g.action.startsWith('secretsmanager:'));
      expect(secretGrants).toEqual([{ action: 'secretsmanager:GetSecretValue', resource: JSON.stringify(secretArn) }]);
    }
  });
});
