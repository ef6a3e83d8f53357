import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from '../../shared/config/env-keys';
import { grantTable, tableActions } from './table-access';

export interface SweeperProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  /** The table's key, used through DynamoDB only. The sweeper never sees a token: no token key. */
  readonly tableKey: IKey;
  readonly connectQueue: IQueue;
  /** Where re-announced retries go. */
  readonly restart: IStateMachine;
  /** Named in its environment only (the Workflow adapter wants both); never started, so not granted. */
  readonly reactivation: IStateMachine;
  /** Default every minute: the alarm on overdue retries looks at minutes. */
  readonly schedule?: Schedule;
}

/**
 * The backstop for when no worker is alive: a Lambda on a schedule (see `sweepLinks`). Its run
 * waits one worker lease to judge heartbeats, so the timeout leaves room for that plus the scan;
 * two overlapping runs are harmless (every write is conditional).
 */
export class Sweeper extends Construct {
  readonly handler: LifelineFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id);
    this.handler = new LifelineFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Lifeline: sweeper (dead workers, orphaned links, overdue retries, fleet metrics)',
      timeout: Duration.seconds(90),
      environment: {
        [envKeys.tableName]: props.table.tableName,
        [envKeys.connectQueueUrl]: props.connectQueue.queueUrl,
        [envKeys.restartStateMachineArn]: props.restart.stateMachineArn,
        [envKeys.reactivationStateMachineArn]: props.reactivation.stateMachineArn,
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.tableKey, tableActions.sweep);
    props.connectQueue.grantSendMessages(fn);
    props.restart.grantStartExecution(fn);
    this.rule = new Rule(this, 'Schedule', {
      description: 'Lifeline: run the sweeper',
      schedule: props.schedule ?? Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });
  }
}
