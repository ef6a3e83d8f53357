import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

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

export const DEFAULT_CONNECT_TIMEOUT = Duration.minutes(2);

/**
 * A Standard state machine with X-Ray tracing, logging every event (operators see every
 * transition) but never its data: a connect's input and parameters carry the task token, which
 * would let anyone reading the logs answer the workflow in a worker's name.
 */
export function linkStateMachine(scope: Construct, props: LinkWorkflowProps, start: IChainable, comment: string): StateMachine {
  const destination =
    props.logGroup ?? new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  return new StateMachine(scope, 'StateMachine', {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(start),
    comment,
    tracingEnabled: true,
    logs: { destination, level: LogLevel.ALL, includeExecutionData: false },
  });
}
