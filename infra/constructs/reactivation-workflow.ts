import { Fail, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TOKEN_REJECTED } from '../../shared/adapters/stepfunctions/contract';
import { connectLoop, linkTask, whenProceeding } from './connect-loop';
import { linkStateMachine, type LinkWorkflowProps } from './workflow-props';

export type ReactivationWorkflowProps = LinkWorkflowProps;

/**
 * The reactivation workflow (Standard), after a new OAuth install: verify the installation's token
 * (`auth.test`), apply REGISTERED, then connect exactly as the restart workflow does. A token that
 * fails verification leaves the link parked; the execution fails with `Link.TokenRejected` and
 * the Slack error as its cause, where operators find it (execution history, ExecutionsFailed).
 * Started by `SfnWorkflow.startReactivation` with a `ReactivationInput`.
 *
 * Grants the instantiating stack still owes: `stateMachine.grantStartExecution(<OAuth handler>)`
 * and `stateMachine.grantTaskResponse(<workers>)`.
 */
export class ReactivationWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ReactivationWorkflowProps) {
    super(scope, id);
    const loop = connectLoop(this, props);
    const verify = linkTask(this, 'VerifyToken', props, 'verifyToken', {
      'linkId.$': '$.linkId',
      'appId.$': '$.appId',
      'teamId.$': '$.teamId',
      'tokenVersion.$': '$.tokenVersion',
    });
    const register = linkTask(this, 'ApplyRegistered', props, 'applyRegistered', { 'linkId.$': '$.linkId', 'tokenVersion.$': '$.tokenVersion' });
    const rejected = new Fail(this, 'TokenRejected', { error: TOKEN_REJECTED, causePath: '$.reason' });
    verify.next(whenProceeding(this, 'TokenVerified', register, rejected));
    register.next(whenProceeding(this, 'ReadyToConnect', loop.connect, loop.movedOn));
    this.stateMachine = linkStateMachine(this, props, verify, 'Lifeline reactivation: verify the token, REGISTERED, connect via the workers');
  }
}
