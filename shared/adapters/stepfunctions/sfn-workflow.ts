import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from '../../ports';
import { encodeConnectCause } from './connect-cause';
import { CONNECT_FAILURES, delaySecondsOf, type ReactivationInput, type RestartInput } from './contract';
import { reactivationExecutionName, restartExecutionName } from './execution-name';
import { WorkflowError } from './workflow-error';

export interface SfnWorkflowOptions {
  client: SFNClient;
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
}

/** SendTaskFailure limits (API reference): error ≤ 256 characters, cause ≤ 32,768. */
const MAX_CAUSE = 32_768;

/** The task is over (timed out, or its execution ended): nobody waits for this outcome any more. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/**
 * The Workflow port on AWS Step Functions. Execution names derive from the link (see
 * `execution-name.ts`), so a duplicate start is refused with `ExecutionAlreadyExists`, which is
 * success here: the transition it asked for is already under way (or done).
 *
 * `cancelRetry` makes no call. The port names only the link, not the execution (its epoch and
 * attempt are gone by then), and listing running executions to find it would be slow and
 * throttled. It is also unnecessary: a restart execution re-reads the link when its Wait ends and
 * ends without effect when the link moved on (another epoch, or not in backoff), so a cancelled
 * retry costs one Wait and one task invocation.
 */
export class SfnWorkflow implements Workflow {
  constructor(private readonly options: SfnWorkflowOptions) {}

  async scheduleRetry(request: RetryRequest): Promise<void> {
    const input: RestartInput = { linkId: request.linkId, epoch: request.epoch, attempt: request.attempt, delaySeconds: delaySecondsOf(request.delayMs) };
    await this.start(this.options.restartStateMachineArn, restartExecutionName(request), input);
  }

  async cancelRetry(_linkId: string): Promise<void> {
    // Deliberately nothing: see the class comment.
  }

  async startReactivation(request: ReactivationRequest): Promise<void> {
    const input: ReactivationInput = { linkId: request.linkId, appId: request.appId, teamId: request.teamId, tokenVersion: request.tokenVersion };
    await this.start(this.options.reactivationStateMachineArn, reactivationExecutionName(request), input);
  }

  async completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void> {
    try {
      if (outcome.ok) await this.options.client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
      else await this.options.client.send(new SendTaskFailureCommand({ taskToken, error: CONNECT_FAILURES[outcome.kind], cause: encodeConnectCause(outcome.cause).slice(0, MAX_CAUSE) }));
    } catch (error) {
      if (TASK_GONE.has((error as Error).name)) return;
      throw new WorkflowError(outcome.ok ? 'SendTaskSuccess' : 'SendTaskFailure', { cause: error });
    }
  }

  private async start(stateMachineArn: string, name: string, input: RestartInput | ReactivationInput): Promise<void> {
    try {
      await this.options.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') return;
      throw new WorkflowError('StartExecution', { cause: error });
    }
  }
}
