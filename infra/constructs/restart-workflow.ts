import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { linkStateMachine, type LinkWorkflowProps } from './workflow-props';

export type RestartWorkflowProps = LinkWorkflowProps;

/**
 * The restart workflow (Standard): a link in backoff waits out the machine's delay, is moved to
 * connecting (RETRY), and a worker is asked to connect it through the queue; the workflow waits
 * for the worker's answer (task token). Revoked and inactive answers park the link; transient
 * failures and timeouts apply CONNECT_FAILED and loop with the machine's next delay. The states
 * are `shared/adapters/stepfunctions/link-workflows.ts`. Started by `SfnWorkflow.scheduleRetry`
 * with a `RestartInput`; execution names make duplicates harmless.
 *
 * Grants the instantiating stack still owes: `stateMachine.grantStartExecution(<whoever schedules
 * retries: workers, task Lambda, sweeper>)` and `stateMachine.grantTaskResponse(<workers>)`.
 */
export class RestartWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: RestartWorkflowProps) {
    super(scope, id);
    this.stateMachine = linkStateMachine(this, props, 'restart');
  }
}
