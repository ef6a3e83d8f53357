import { describe, expect, it } from 'vitest';
import { STACK_OUTPUT_KEYS } from '../../functions/cli/stack-outputs';
import { resourcesOf, synthLifeline } from './synth';

// `npx lifeline --stack <orchestrator stack>` reads these outputs (functions/cli/stack-outputs.ts):
// each must exist and point at the resource the CLI acts on, not merely be present.
describe('orchestrator outputs for the CLI', () => {
  const { stateful, orchestrator } = synthLifeline({ slack: { appId: 'A0TEST', scopes: ['bot'], protocol: 'rtm' } });
  const outputs = orchestrator.toJSON().Outputs as Record<string, { Value: unknown }>;
  const resources = resourcesOf(orchestrator);
  const refOf = (key: string): string => {
    const value = outputs[key]?.Value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
    const id = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
    if (!id) throw new Error(`output ${key} is ${JSON.stringify(value)}, not a reference`);
    return id;
  };

  it('has every output the CLI reads', () => {
    for (const key of Object.values(STACK_OUTPUT_KEYS)) expect(Object.keys(outputs)).toContain(key);
  });

  it('names the connect queue (not its dead letters) and both workflows', () => {
    const queue = refOf(STACK_OUTPUT_KEYS.queueUrl);
    expect(resources[queue]?.Type).toBe('AWS::SQS::Queue');
    expect(queue).not.toMatch(/DeadLetters/);
    const restart = refOf(STACK_OUTPUT_KEYS.restartStateMachineArn);
    const reactivation = refOf(STACK_OUTPUT_KEYS.reactivationStateMachineArn);
    expect(resources[restart]?.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(resources[reactivation]?.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(restart).toMatch(/^Restart/);
    expect(reactivation).toMatch(/^Reactivation/);
    expect(refOf(STACK_OUTPUT_KEYS.eventBusName)).toMatch(/Bus/);
  });

  it('names the stateful stack\'s table (through its export)', () => {
    const value = outputs[STACK_OUTPUT_KEYS.tableName]?.Value as { 'Fn::ImportValue'?: string };
    const exportName = value['Fn::ImportValue'];
    expect(exportName).toBeTypeOf('string');
    const exported = Object.values(stateful.toJSON().Outputs as Record<string, { Value: { Ref?: string }; Export?: { Name: string } }>).find((o) => o.Export?.Name === exportName);
    expect(exported).toBeDefined();
    expect(resourcesOf(stateful)[exported!.Value.Ref as string]?.Type).toBe('AWS::DynamoDB::Table');
  });
});
