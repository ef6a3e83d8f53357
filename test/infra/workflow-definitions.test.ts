import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFINITION_SUBSTITUTIONS, LOCAL_SUBSTITUTIONS, localLinkWorkflowDefinitions } from '../../shared/adapters/stepfunctions';
import { resolveDefinitionString, resolveSubstitutions, type TemplateResources } from './resolve-intrinsics';
import { resourcesOf, synthLifeline } from './synth';

/**
 * The deployed state machines run the ASL of `shared/adapters/stepfunctions/link-workflows.ts`
 * with this stack's task Lambda and connect queue substituted; the embedded interpreter runs the
 * same ASL with local stand-ins. With the deployed resources swapped back for the stand-ins,
 * everything (states, waits, retries, catches, timeouts, parameters) must be the same.
 */
describe('workflow definitions: one source', () => {
  const { orchestrator, stacks } = synthLifeline();
  const stack = stacks.orchestrator;
  const resources = resourcesOf(orchestrator) as TemplateResources & ReturnType<typeof resourcesOf>;
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  const local = localLinkWorkflowDefinitions();

  const deployed = (machine: typeof stack.restart.stateMachine) => {
    const properties = resources[logicalId(machine.node.defaultChild)]?.Properties ?? {};
    const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
    return {
      substitutions,
      resolved: resolveSubstitutions(substitutions, resources),
      asl: resolveDefinitionString(properties.DefinitionString, resources, substitutions),
    };
  };

  /** The deployed definition with each substituted resource swapped back for its local stand-in. */
  const asRunLocally = (asl: Record<string, unknown>, resolved: Record<string, string>): unknown => {
    let text = JSON.stringify(asl);
    for (const [name, value] of Object.entries(resolved)) text = text.replaceAll(JSON.stringify(value).slice(1, -1), LOCAL_SUBSTITUTIONS[name]!);
    return JSON.parse(text);
  };

  it.each([
    ['restart', () => stack.restart.stateMachine],
    ['reactivation', () => stack.reactivation.stateMachine],
  ] as const)('deploys the %s workflow the embedded adapter runs', (name, machine) => {
    const { substitutions, resolved, asl } = deployed(machine());

    expect(asRunLocally(asl, resolved)).toEqual(local[name]);
    expect(JSON.stringify(asl)).toContain('sqs:sendMessage.waitForTaskToken');
    expect(JSON.stringify(asl)).not.toContain('${');
    expect(Object.keys(asl.States as object).length).toBeGreaterThan(3);
    // And the resources it names are this stack's connect queue and task Lambda, nothing else.
    const taskFunction = stack.node.findChild('WorkflowTasks').node.findChild('Handler').node.findChild('Function').node.defaultChild;
    expect(substitutions).toEqual({
      [DEFINITION_SUBSTITUTIONS.taskFunctionArn]: { 'Fn::GetAtt': [logicalId(taskFunction), 'Arn'] },
      [DEFINITION_SUBSTITUTIONS.connectQueueUrl]: { Ref: logicalId(stack.connectQueue.queue.node.defaultChild) },
    });
  });

  it('the deployed state machines may invoke the task Lambda and send to the connect queue', () => {
    const taskFunction = logicalId(stack.node.findChild('WorkflowTasks').node.findChild('Handler').node.findChild('Function').node.defaultChild);
    const queue = logicalId(stack.connectQueue.queue.node.defaultChild);
    for (const machine of [stack.restart.stateMachine, stack.reactivation.stateMachine]) {
      const role = logicalId(machine.role.node.defaultChild);
      const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: role }]));
      const statements = policies.flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement);
      expect(statements).toContainEqual(expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: [{ 'Fn::GetAtt': [taskFunction, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [taskFunction, 'Arn'] }, ':*']] }],
      }));
      expect(statements).toContainEqual(expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } }));
    }
  });
});
