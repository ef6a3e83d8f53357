import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from './runtime-env';
import { grantTable, tableActions, tokenKeyActions } from './table-access';

export interface WorkflowTasksProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  readonly key: IKey;
}

/**
 * The Lambda the restart and reactivation workflows call for their steps (apply an event, verify
 * a token with `auth.test`). It starts no executions and sends no commands: the workflows do
 * their own waiting and connecting, so it needs the table and the key, nothing else.
 */
export class WorkflowTasks extends Construct {
  readonly handler: LifelineFunction;

  constructor(scope: Construct, id: string, props: WorkflowTasksProps) {
    super(scope, id);
    this.handler = new LifelineFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Lifeline: restart and reactivation workflow steps',
      // Slack's auth.test may be slow; the workflow's own timeouts and retries bound the rest.
      timeout: Duration.seconds(30),
      environment: {
        [envKeys.tableName]: props.table.tableName,
        [envKeys.keyId]: props.key.keyArn,
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.key, tableActions.readWrite);
    // Reactivation opens the stored token to call auth.test.
    props.key.grant(fn, ...tokenKeyActions.open);
  }
}
