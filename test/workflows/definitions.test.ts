import aslValidator from 'asl-validator';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ReactivationWorkflow } from '../../infra/constructs/reactivation-workflow';
import { RestartWorkflow } from '../../infra/constructs/restart-workflow';
import {
  executionName,
  linkWorkflowDefinitions,
  localLinkWorkflowDefinitions,
  reactivationExecutionName,
  restartExecutionName,
  substituteDefinition,
} from '../../shared/adapters/stepfunctions';
import { resolveDefinitionString, type TemplateResources } from '../infra/resolve-intrinsics';

type States = Record<string, { Type: string; Next?: string; Catch?: Array<{ ErrorEquals: string[]; Next: string }>; TimeoutSeconds?: number; Resource?: string }>;

describe('workflow definitions (shared/adapters/stepfunctions/link-workflows.ts), as run locally', () => {
  const definitions = localLinkWorkflowDefinitions();

  it.each(['restart', 'reactivation'] as const)('%s passes asl-validator (paths and ARNs checked)', (name) => {
    const result = aslValidator(structuredClone(definitions[name]), { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('restart: Wait → ApplyRetry → Connect, whose named failures are caught by the right tasks', () => {
    const { StartAt, States } = definitions.restart as { StartAt: string; States: States };
    expect(StartAt).toBe('Wait');
    expect(States.Wait).toMatchObject({ Type: 'Wait', SecondsPath: '$.delaySeconds', Next: 'ApplyRetry' });
    expect(States.Connect).toMatchObject({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 120 });
    expect(States.Connect?.Catch?.map((c) => [c.ErrorEquals.join('+'), c.Next])).toEqual([
      ['Link.Stale', 'MovedOn'],
      ['Link.Revoked', 'ApplyRevoked'],
      ['Link.Inactive', 'ApplyDisabled'],
      ['Link.Transient+States.Timeout', 'ApplyConnectFailed'],
      ['States.ALL', 'ApplyConnectFailed'],
    ]);
    expect(States.BackingOff).toMatchObject({ Choices: [{ Variable: '$.proceed', BooleanEquals: true, Next: 'Wait' }], Default: 'MovedOn' });
  });

  it('reactivation: VerifyToken → ApplyRegistered → the same Connect, or TokenRejected with the reason', () => {
    const { StartAt, States } = definitions.reactivation as { StartAt: string; States: States };
    expect(StartAt).toBe('VerifyToken');
    expect(States.TokenRejected).toEqual({ Type: 'Fail', Error: 'Link.TokenRejected', CausePath: '$.reason' });
    expect(States.Connect).toEqual((definitions.restart as { States: States }).States.Connect);
  });

  it('takes the connect timeout from its options, and the constructs pass theirs on', () => {
    const { States } = linkWorkflowDefinitions({ connectTimeoutSeconds: 45 }).restart as { States: States };
    expect(States.Connect?.TimeoutSeconds).toBe(45);
    expect(() => linkWorkflowDefinitions({ connectTimeoutSeconds: 0.5 })).toThrow(RangeError);

    const { template } = synthWorkflows({ connectTimeout: Duration.seconds(45) });
    const resources = template.toJSON().Resources as TemplateResources & Record<string, { Properties: { DefinitionString: unknown; DefinitionSubstitutions: Record<string, unknown> } }>;
    const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(2);
    for (const { Properties } of machines) {
      const asl = resolveDefinitionString(Properties.DefinitionString, resources, Properties.DefinitionSubstitutions) as { States: States };
      expect(asl.States.Connect?.TimeoutSeconds).toBe(45);
    }
  });

  it('refuses to run a definition naming a resource nobody provides', () => {
    const { restart } = linkWorkflowDefinitions();
    expect(() => substituteDefinition(restart, { TaskFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:F' })).toThrow(/no value for \$\{ConnectQueueUrl\}/);
  });

  it('synthesizes Standard state machines that log every event without its data (task tokens) and trace with X-Ray', () => {
    const { template } = synthWorkflows();
    template.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }] },
    }, 2);
  });

  it('the resolver refuses intrinsics it does not know', () => {
    expect(() => resolveDefinitionString({ 'Fn::Join': ['', ['{"a":"', { 'Fn::ImportValue': 'x' }, '"}']] }, {})).toThrow(/Fn::ImportValue is not known/);
    expect(() => resolveDefinitionString({ 'Fn::Join': ['', [{ Ref: 'Missing' }]] }, {})).toThrow(/not a resource/);
    expect(() => resolveDefinitionString({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Q', 'QueueUrl'] }]] }, { Q: { Type: 'AWS::SQS::Queue' } })).toThrow(/QueueUrl is not known/);
  });
});

function synthWorkflows(options: { connectTimeout?: Duration } = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Workflows');
  const props = {
    ...options,
    connectQueue: new Queue(stack, 'Queue'),
    taskFunction: new LambdaFunction(stack, 'Tasks', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('x') }),
  };
  new RestartWorkflow(stack, 'Restart', props);
  new ReactivationWorkflow(stack, 'Reactivation', props);
  return { template: Template.fromStack(stack) };
}

describe('execution names', () => {
  it('derive from link id, epoch, attempt and due time (or token version), within Step Functions\' rules', () => {
    expect(restartExecutionName({ linkId: 'rtm:A1:T1', epoch: 3, attempt: 2, dueAt: 1_764_000_000_123 })).toBe('retry.rtm.A1.T1.e3.a2.t1764000000123');
    expect(reactivationExecutionName({ linkId: 'sm:A1:9', tokenVersion: 5 })).toBe('reactivate.sm.A1.9.v5');
  });

  it('tell two retries planned at one epoch and attempt apart, and not a re-announce of the same one', () => {
    const first = { linkId: 'rtm:A1:T1', epoch: 3, attempt: 0, dueAt: 1_000 };
    expect(restartExecutionName({ ...first, dueAt: 2_000 })).not.toBe(restartExecutionName(first));
    expect(restartExecutionName({ ...first })).toBe(restartExecutionName(first));
  });

  it('stay distinct and legal when ids need replacing or are too long', () => {
    const long = executionName(['retry', `rtm:${'A'.repeat(60)}:${'T'.repeat(60)}`]);
    const odd = [executionName(['x', 'a b']), executionName(['x', 'a/b'])];
    for (const name of [long, ...odd]) expect(name).toMatch(/^[A-Za-z0-9._-]{1,80}$/);
    expect(odd[0]).not.toBe(odd[1]);
  });
});
