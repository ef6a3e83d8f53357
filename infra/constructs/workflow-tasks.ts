import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from '../../shared/config/env-keys';
import { grantSecretRead, slackAppEnvironment, slackAppSecret, type SlackAppSettings } from './slack-app-secret';
import { grantTable, tableActions } from './table-access';
import { grantTokenKey } from './token-key';

export interface WorkflowTasksProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  /** The table's key (used through DynamoDB only). */
  readonly tableKey: IKey;
  /** The key wrapping Slack tokens. */
  readonly tokenKey: IKey;
  /** A fixed role name: the token key's policy names this role. */
  readonly roleName?: string;
  /** The Slack app whose installations' tokens VerifyToken opens (and renews, when they rotate). */
  readonly slack: SlackAppSettings;
  /**
   * Where the tasks' lifecycle notices go (a pool link parked, a reinstall verified or refused):
   * PutEvents on this bus only. Not the bot's Lambda: a bot deployed with one hears these on the
   * bus (rules on `lifeline.*`), as it hears every notice.
   */
  readonly eventBus?: IEventBus;
}

/**
 * The Lambda the restart and reactivation workflows call for their steps (apply an event, verify
 * a token with `auth.test`). It starts no executions and sends no commands: the workflows do
 * their own waiting and connecting, so it needs the table, the key and the Slack app's client
 * credentials (a rotating token near expiry is renewed before it is verified), and, to tell the
 * bot what it parked or brought back, `events:PutEvents` on the bus.
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
      ...(props.roleName ? { roleName: props.roleName } : {}),
      environment: {
        [envKeys.tableName]: props.table.tableName,
        [envKeys.keyId]: props.tokenKey.keyArn,
        // The secret's ARN: the client credentials (and app token) are read at run time.
        ...slackAppEnvironment(props.slack),
        ...(props.eventBus ? { [envKeys.eventBusName]: props.eventBus.eventBusName } : {}),
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.tableKey, tableActions.readWrite);
    grantSecretRead(fn, slackAppSecret(this, props.slack));
    // Reactivation opens the stored token to call auth.test; renewing a rotating one seals the new pair.
    grantTokenKey(fn, props.tokenKey, props.slack.appId);
    // Lifecycle notices: PutEvents on this one bus, nothing else of EventBridge.
    props.eventBus?.grantPutEventsTo(fn);
  }
}
