import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { SlackAppSettings } from './http-endpoint';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from '../../shared/config/env-keys';
import { secretFieldReference, slackAppEnvironment, tokenOpenerSecretFields } from './slack-app-secret';
import { grantTable, tableActions, tokenKeyActions } from './table-access';

export interface WorkflowTasksProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  readonly key: IKey;
  /** The Slack app whose installations' tokens VerifyToken opens (and renews, when they rotate). */
  readonly slack: SlackAppSettings;
}

/**
 * The Lambda the restart and reactivation workflows call for their steps (apply an event, verify
 * a token with `auth.test`). It starts no executions and sends no commands: the workflows do
 * their own waiting and connecting, so it needs the table, the key and the Slack app's client
 * credentials (a rotating token near expiry is renewed before it is verified), nothing else.
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
        ...slackAppEnvironment(props.slack),
        // As for the HTTP handler: resolved by CloudFormation at deploy, never in the template.
        ...Object.fromEntries(Object.entries(tokenOpenerSecretFields(props.slack.protocol)).map(([key, field]) => [key, secretFieldReference(props.slack, field)])),
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.key, tableActions.readWrite);
    // Reactivation opens the stored token to call auth.test; renewing a rotating one seals the new pair.
    props.key.grant(fn, ...tokenKeyActions.open, ...tokenKeyActions.seal);
  }
}
