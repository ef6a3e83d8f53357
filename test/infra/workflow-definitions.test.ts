import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { workflowDefinitions } from '../../infra/workflows/definitions';
import { PLACEHOLDER, resolveDefinitionString, type TemplateResources } from '../../infra/workflows/resolve-intrinsics';
import { resourcesOf, synthLifeline } from './synth';

/**
 * The resolved ASL names its queue and task Lambda by logical id, which differs between the
 * deployed stack and the throwaway one `workflowDefinitions` synthesizes. Everything else (states,
 * waits, retries, catches, timeouts, parameters) must be byte for byte the same.
 */
const normalize = (asl: Record<string, unknown>): string =>
  JSON.stringify(asl)
    .replaceAll(new RegExp(`https://sqs\\.${PLACEHOLDER.region}\\.${PLACEHOLDER.urlSuffix}/${PLACEHOLDER.account}/[A-Za-z0-9]+`, 'g'), '<connect queue url>')
    .replaceAll(new RegExp(`arn:${PLACEHOLDER.partition}:sqs:${PLACEHOLDER.region}:${PLACEHOLDER.account}:[A-Za-z0-9]+`, 'g'), '<connect queue arn>')
    .replaceAll(new RegExp(`arn:${PLACEHOLDER.partition}:lambda:${PLACEHOLDER.region}:${PLACEHOLDER.account}:function:[A-Za-z0-9]+`, 'g'), '<task function arn>');

describe('workflow definitions: one source', () => {
  const { orchestrator, stacks } = synthLifeline();
  const stack = stacks.orchestrator;
  const resources = resourcesOf(orchestrator) as TemplateResources & ReturnType<typeof resourcesOf>;
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  const embedded = workflowDefinitions();

  const deployed = (machine: typeof stack.restart.stateMachine) => {
    const definitionString = resources[logicalId(machine.node.defaultChild)]?.Properties?.DefinitionString;
    return { definitionString, asl: resolveDefinitionString(definitionString, resources) };
  };

  it.each([
    ['restart', () => stack.restart.stateMachine],
    ['reactivation', () => stack.reactivation.stateMachine],
  ] as const)('deploys the %s workflow the embedded adapter runs', (name, machine) => {
    const { definitionString, asl } = deployed(machine());

    expect(normalize(asl)).toBe(normalize(embedded[name]));
    expect(normalize(asl)).toContain('sqs:sendMessage.waitForTaskToken');
    expect(Object.keys(asl.States as object).length).toBeGreaterThan(3);
    // And the resources it names are this stack's connect queue and task Lambda, nothing else.
    const referenced = new Set(JSON.stringify(definitionString).match(/"(Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)"/g)?.map((m) => m.replace(/.*"([A-Za-z0-9]+)"$/, '$1')));
    const taskFunction = stack.node.findChild('WorkflowTasks').node.findChild('Handler').node.findChild('Function').node.defaultChild;
    expect([...referenced].sort()).toEqual([logicalId(stack.connectQueue.queue.node.defaultChild), logicalId(taskFunction)].sort());
  });
});
