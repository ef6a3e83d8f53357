import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFINITION_SUBSTITUTIONS,
  linkWorkflowDefinitions,
  type LinkWorkflowDefinitions,
} from '../../shared/adapters/stepfunctions/link-workflows';

/** What both link workflows need. The stack that instantiates them owns these resources. */
export interface LinkWorkflowProps {
  /** The workers' connect queue: connect commands go here, carrying the task token the workflow waits on. */
  readonly connectQueue: IQueue;
  /** The Lambda running `functions/workflow-tasks/lambda.ts`: every Task state but the connect invokes it. */
  readonly taskFunction: IFunction;
  /**
   * How long a connect command may stay unanswered before it counts as a failed attempt
   * (`connect_timeout`, transient) and the link backs off. It must exceed the queue's visibility
   * timeout plus a worker's connect (rtm.connect + hello), or a command redelivered after a
   * worker's death could not finish in time. Default: 2 minutes.
   */
  readonly connectTimeout?: Duration;
  /** Where executions log (every event, without its data). Default: a new log group kept one month. */
  readonly logGroup?: ILogGroup;
}

export const DEFAULT_CONNECT_TIMEOUT = Duration.seconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);

/**
 * A Standard state machine with X-Ray tracing, running one of the link workflows from
 * `shared/adapters/stepfunctions/link-workflows.ts` (the ASL the embedded mode runs too). It logs
 * every event (operators see every transition) but never its data: a connect's input and
 * parameters carry the task token, which would let anyone reading the logs answer the workflow
 * in a worker's name. The definition names its two resources by substitution variable; the role
 * may invoke the task Lambda and send to the connect queue, nothing more.
 */
export function linkStateMachine(scope: Construct, props: LinkWorkflowProps, workflow: keyof LinkWorkflowDefinitions): StateMachine {
  const destination =
    props.logGroup ?? new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const definition = linkWorkflowDefinitions({ connectTimeoutSeconds: (props.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT).toSeconds() })[workflow];
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(JSON.stringify(definition)),
    definitionSubstitutions: {
      [DEFINITION_SUBSTITUTIONS.taskFunctionArn]: props.taskFunction.functionArn,
      [DEFINITION_SUBSTITUTIONS.connectQueueUrl]: props.connectQueue.queueUrl,
    },
    tracingEnabled: true,
    logs: { destination, level: LogLevel.ALL, includeExecutionData: false },
  });
  // What CDK's task builders would have granted: invoke the task Lambda (any version), send to the queue.
  const { functionArn } = props.taskFunction;
  stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn, `${functionArn}:*`] }));
  stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.connectQueue.queueArn] }));
  return stateMachine;
}
