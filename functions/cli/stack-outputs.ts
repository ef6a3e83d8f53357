import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsTarget } from './aws-backend';

/** The orchestrator stack's outputs the CLI reads (infra/stacks/orchestrator-stack.ts writes them). */
export const STACK_OUTPUT_KEYS = {
  tableName: 'TableName',
  queueUrl: 'ConnectQueueUrl',
  restartStateMachineArn: 'RestartStateMachineArn',
  reactivationStateMachineArn: 'ReactivationStateMachineArn',
  eventBusName: 'EventBusName',
} as const;

/** A stack the CLI cannot use: the message names the stack and what is missing. */
export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

/** `--stack <name>`: everything the CLI needs, from the stack's CloudFormation outputs. */
export async function readStackTarget(stackName: string, region: string, client = new CloudFormationClient({ region })): Promise<AwsTarget> {
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) throw new StackOutputsError(`stack ${stackName} not found in ${region}`);
    outputs = Object.fromEntries((stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])));
  } catch (error) {
    if (error instanceof StackOutputsError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StackOutputsError(`cannot read stack ${stackName} in ${region}: ${message}`, { cause: error });
  }
  const missing = Object.values(STACK_OUTPUT_KEYS).filter((key) => !outputs[key]);
  if (missing.length > 0) {
    throw new StackOutputsError(`stack ${stackName} in ${region} has no output ${missing.join(', ')}: is it Lifeline's orchestrator stack (not the stateful one), deployed from this version?`);
  }
  const out = (key: keyof typeof STACK_OUTPUT_KEYS): string => outputs[STACK_OUTPUT_KEYS[key]] as string;
  return {
    tableName: out('tableName'),
    region,
    queueUrl: out('queueUrl'),
    restartStateMachineArn: out('restartStateMachineArn'),
    reactivationStateMachineArn: out('reactivationStateMachineArn'),
    eventBusName: out('eventBusName'),
    stackName,
  };
}
