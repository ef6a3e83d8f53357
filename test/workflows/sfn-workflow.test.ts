import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SfnWorkflow, WorkflowError } from '../../shared/adapters/stepfunctions';
import { awsError, localAwsConfig, startAwsJsonServer, type AwsJsonServer } from '../support/aws-json-server';

const arns = {
  restartStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Restart',
  reactivationStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Reactivation',
};
const awsErrorNamed = (name: string): Error => Object.assign(new Error(name), { name, $metadata: {} });

describe('SfnWorkflow (the real SFNClient, mocked with aws-sdk-client-mock)', () => {
  const client = new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const sfn = mockClient(client);
  const workflow = new SfnWorkflow({ client, ...arns });
  afterEach(() => sfn.reset());

  it('starts a restart named after link, epoch and attempt, waiting whole seconds', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await workflow.scheduleRetry({ linkId: 'rtm:A1:T1', epoch: 7, attempt: 3, delayMs: 2_001, dueAt: 1_000_000 });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: arns.restartStateMachineArn, name: 'retry.rtm.A1.T1.e7.a3.t1000000', input: JSON.stringify({ linkId: 'rtm:A1:T1', epoch: 7, attempt: 3, delaySeconds: 3 }) },
    ]);
  });

  it('starts a reactivation named after link and token version', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await workflow.startReactivation({ linkId: 'sm:A1:0', appId: 'A1', teamId: 'T1', tokenVersion: 4 });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: arns.reactivationStateMachineArn,
      name: 'reactivate.sm.A1.0.v4',
      input: JSON.stringify({ linkId: 'sm:A1:0', appId: 'A1', teamId: 'T1', tokenVersion: 4 }),
    });
  });

  it('treats ExecutionAlreadyExists as success: the duplicate start is harmless', async () => {
    sfn.on(StartExecutionCommand).rejects(awsErrorNamed('ExecutionAlreadyExists'));
    await expect(workflow.scheduleRetry({ linkId: 'rtm:A1:T1', epoch: 1, attempt: 1, delayMs: 0, dueAt: 0 })).resolves.toBeUndefined();
  });

  it('translates other failures into a WorkflowError carrying the SDK error', async () => {
    const throttled = awsErrorNamed('ThrottlingException');
    sfn.on(StartExecutionCommand).rejects(throttled);
    const error = await workflow.scheduleRetry({ linkId: 'rtm:A1:T1', epoch: 1, attempt: 1, delayMs: 0, dueAt: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: 'WORKFLOW_UNAVAILABLE', operation: 'StartExecution', cause: throttled });
  });

  it('reports a connect outcome with SendTaskSuccess, or SendTaskFailure carrying the ASL error name and the cause as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    await workflow.completeConnect('tok-1', { ok: true });
    await workflow.completeConnect('tok-2', { ok: false, kind: 'revoked', cause: { error: 'invalid_auth' } });
    await workflow.completeConnect('tok-3', { ok: false, kind: 'inactive', cause: { error: 'account_inactive', tokenVersion: 2 } });
    await workflow.completeConnect('tok-4', { ok: false, kind: 'transient', cause: { error: 'ratelimited', retryAfterMs: 2_000 } });
    await workflow.completeConnect('tok-5', { ok: false, kind: 'stale', cause: { error: 'claim lost to another worker' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({ taskToken: 'tok-1', output: '{}' });
    expect(sfn.commandCalls(SendTaskFailureCommand).map((call) => call.args[0].input)).toEqual([
      { taskToken: 'tok-2', error: 'Link.Revoked', cause: '{"error":"invalid_auth"}' },
      { taskToken: 'tok-3', error: 'Link.Inactive', cause: '{"error":"account_inactive","tokenVersion":2}' },
      { taskToken: 'tok-4', error: 'Link.Transient', cause: '{"error":"ratelimited","retryAfterMs":2000}' },
      { taskToken: 'tok-5', error: 'Link.Stale', cause: '{"error":"claim lost to another worker"}' },
    ]);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist'])('ignores %s: nobody waits for that outcome any more', async (name) => {
    sfn.on(SendTaskSuccessCommand).rejects(awsErrorNamed(name));
    await expect(workflow.completeConnect('tok', { ok: true })).resolves.toBeUndefined();
  });

  it('makes no call to cancel a retry (executions re-check the link when they wake)', async () => {
    await workflow.cancelRetry('rtm:A1:T1');
    expect(sfn.calls()).toHaveLength(0);
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });
});

describe('SfnWorkflow on the wire (AWS JSON 1.0 against a local server)', () => {
  let server: AwsJsonServer;
  let duplicate = false;
  beforeAll(async () => {
    server = await startAwsJsonServer(({ operation }) => {
      if (operation === 'StartExecution' && duplicate) return awsError(400, 'ExecutionAlreadyExists', 'Execution Already Exists');
      if (operation === 'StartExecution') return { body: { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Restart:x', startDate: 1_700_000_000 } };
      if (operation === 'SendTaskFailure') return awsError(400, 'TaskTimedOut', 'Task Timed Out');
      return awsError(400, 'UnknownOperationException', operation);
    });
  });
  afterAll(async () => server?.stop());

  it('serializes StartExecution as Step Functions expects and reads its errors by name', async () => {
    const workflow = new SfnWorkflow({ client: new SFNClient(localAwsConfig(server.endpoint)), ...arns });
    await workflow.scheduleRetry({ linkId: 'rtm:A1:T1', epoch: 2, attempt: 1, delayMs: 500, dueAt: 500 });
    duplicate = true;
    await workflow.scheduleRetry({ linkId: 'rtm:A1:T1', epoch: 2, attempt: 1, delayMs: 500, dueAt: 500 });
    await workflow.completeConnect('tok', { ok: false, kind: 'transient', cause: { error: 'x' } });
    expect(server.requests.map((r) => r.target)).toEqual(['AWSStepFunctions.StartExecution', 'AWSStepFunctions.StartExecution', 'AWSStepFunctions.SendTaskFailure']);
    expect(server.requests[0]?.body).toEqual({ stateMachineArn: arns.restartStateMachineArn, name: 'retry.rtm.A1.T1.e2.a1.t500', input: '{"linkId":"rtm:A1:T1","epoch":2,"attempt":1,"delaySeconds":1}' });
  });
});
