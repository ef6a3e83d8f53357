import { Duration } from 'aws-cdk-lib';
import {
  Choice,
  Condition,
  Errors,
  IntegrationPattern,
  JsonPath,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type State,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { CONNECT_FAILURES, type WorkflowTaskName } from '../../shared/adapters/stepfunctions/contract';
import { DEFAULT_CONNECT_TIMEOUT, type LinkWorkflowProps } from './workflow-props';

/** The state data every step of the loop carries (`RestartInput` plus what the tasks return). */
const link = { 'linkId.$': '$.linkId', 'epoch.$': '$.epoch', 'attempt.$': '$.attempt' };

/**
 * A Lambda task of `functions/workflow-tasks`. Its result replaces the state data. Failures of the
 * handler itself (DynamoDB throttling, a lost write race) are retried: the handlers are
 * idempotent, since each re-reads the link and the machine ignores events that no longer apply.
 */
export function linkTask(scope: Construct, id: string, props: LinkWorkflowProps, task: WorkflowTaskName, payload: Record<string, unknown>): LambdaInvoke {
  const invoke = new LambdaInvoke(scope, id, {
    lambdaFunction: props.taskFunction,
    payloadResponseOnly: true,
    payload: TaskInput.fromObject({ task, ...payload }),
  });
  invoke.addRetry({ errors: [Errors.TASKS_FAILED], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2 });
  return invoke;
}

export interface ConnectLoop {
  /** Wait the machine's delay, apply RETRY, connect: where a restart starts. */
  wait: Wait;
  /** Send the connect command and wait for its outcome: where a reactivation joins, after REGISTERED. */
  connect: SqsSendMessage;
  /** The link moved on (another epoch, no longer due, a stale command): nothing to do. */
  movedOn: Succeed;
}

/**
 * Wait → ApplyRetry → Connect, and the catches of Connect's named failures, looping back to Wait
 * with the machine's next delay. Shared by both workflows so they connect the same way.
 */
export function connectLoop(scope: Construct, props: LinkWorkflowProps): ConnectLoop {
  const movedOn = new Succeed(scope, 'MovedOn', { comment: 'The link moved on: another epoch, or no longer waiting for this attempt.' });
  const connected = new Succeed(scope, 'Connected');
  const parked = new Succeed(scope, 'Parked');

  const wait = new Wait(scope, 'Wait', { time: WaitTime.secondsPath('$.delaySeconds') });
  const applyRetry = linkTask(scope, 'ApplyRetry', props, 'applyRetry', link);
  const connect = new SqsSendMessage(scope, 'Connect', {
    queue: props.connectQueue,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    messageBody: TaskInput.fromObject({ linkId: JsonPath.stringAt('$.linkId'), epoch: JsonPath.numberAt('$.epoch'), taskToken: JsonPath.taskToken }),
    taskTimeout: Timeout.duration(props.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT),
    resultPath: JsonPath.DISCARD,
  });
  const failed = { ...link, 'failure.$': '$.failure' };
  const applyRevoked = linkTask(scope, 'ApplyRevoked', props, 'applyRevoked', failed);
  const applyDisabled = linkTask(scope, 'ApplyDisabled', props, 'applyDisabled', failed);
  const applyConnectFailed = linkTask(scope, 'ApplyConnectFailed', props, 'applyConnectFailed', failed);

  const caught = { resultPath: '$.failure' };
  connect.addCatch(movedOn, { ...caught, errors: [CONNECT_FAILURES.stale] });
  connect.addCatch(applyRevoked, { ...caught, errors: [CONNECT_FAILURES.revoked] });
  connect.addCatch(applyDisabled, { ...caught, errors: [CONNECT_FAILURES.inactive] });
  connect.addCatch(applyConnectFailed, { ...caught, errors: [CONNECT_FAILURES.transient, Errors.TIMEOUT] });
  // Anything else (a worker's bug, a malformed failure) is a failed attempt too: back off, never stall.
  connect.addCatch(applyConnectFailed, { ...caught, errors: [Errors.ALL] });

  wait.next(applyRetry);
  applyRetry.next(whenProceeding(scope, 'RetryStillDue', connect, movedOn));
  connect.next(connected);
  applyRevoked.next(parked);
  applyDisabled.next(parked);
  applyConnectFailed.next(whenProceeding(scope, 'BackingOff', wait, movedOn));
  return { wait, connect, movedOn };
}

/** A Choice on the `proceed` flag a task returned. */
export function whenProceeding(scope: Construct, id: string, next: State, otherwise: State): Choice {
  return new Choice(scope, id).when(Condition.booleanEquals('$.proceed', true), next).otherwise(otherwise);
}
