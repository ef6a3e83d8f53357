import { describe, expect, it } from 'vitest';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import { envKeys } from '../../shared/config';
import { onlyResource, synthLifeline } from './synth';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// Issue 15: the workflow-task Lambda tells the bot what it parks or brings back, on the bus the
// workers use, with PutEvents on that bus and no other EventBridge permission.
describe('workflow-task Lambda: lifecycle notices on the bus, least privilege', () => {
  const { orchestrator } = synthLifeline({ slack: { protocol: 'socket' } });
  const bus = onlyResource(orchestrator, 'AWS::Events::EventBus', 'Events').id;
  const statements = (onlyResource(orchestrator, 'AWS::IAM::Policy', 'WorkflowTasksHandlerRoleDefaultPolicy').properties.PolicyDocument as { Statement: Statement[] }).Statement;

  it('may put events on the bus and nothing else of EventBridge', () => {
    const events = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('events:')));
    expect(events).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [bus, 'Arn'] } }]);
  });

  it('is told the bus by name, and its config reader takes it', () => {
    const variables = (onlyResource(orchestrator, 'AWS::Lambda::Function', 'WorkflowTasksHandler').properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[envKeys.eventBusName]).toEqual({ Ref: bus });
    const resolved = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : `resolved-${key}`]));
    expect(readWorkflowTasksConfig({ ...resolved, AWS_REGION: 'eu-west-1' }).eventBusName).toBe(`resolved-${envKeys.eventBusName}`);
  });
});
