import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { linkStateMachine, type LinkWorkflowProps } from './workflow-props';

export type ReactivationWorkflowProps = LinkWorkflowProps;

/**
 * The reactivation workflow (Standard), after a new OAuth install: verify the installation's token
 * (`auth.test`), apply REGISTERED, then connect exactly as the restart workflow does. A token that
 * fails verification leaves the link parked; the execution fails with `Link.TokenRejected` and
 * the Slack error as its cause, where operators find it (execution history, ExecutionsFailed).
 * The states are `shared/adapters/stepfunctions/link-workflows.ts`. Started by
 * `SfnWorkflow.startReactivation` with a `ReactivationInput`.
 *
 * Grants the instantiating stack still owes: `stateMachine.grantStartExecution(<OAuth handler>)`
 * and `stateMachine.grantTaskResponse(<workers>)`.
 */
export class ReactivationWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ReactivationWorkflowProps) {
    super(scope, id);
    this.stateMachine = linkStateMachine(this, props, 'reactivation');
  }
}
