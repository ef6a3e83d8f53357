import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FunctionUrlAuthType, InvokeMode, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from './runtime-env';
import { grantTable, tableActions, tokenKeyActions } from './table-access';

export interface HttpEndpointProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  readonly key: IKey;
  readonly slackSecret: ISecret;
  readonly connectQueue: IQueue;
  /** Started after an install of a parked installation. */
  readonly reactivation: IStateMachine;
  /** Events (uninstall, tokens revoked) may schedule retries through the Workflow adapter. */
  readonly restart: IStateMachine;
}

/**
 * Slack's OAuth (`/slack/install`, `/slack/oauth_redirect`) and Events API (`/slack/events`) on
 * one Lambda behind a Function URL: HTTPS with an AWS certificate, no API Gateway to pay for.
 * The URL is public by design (Slack calls it); requests prove themselves instead, by Slack's
 * signature on events and by the signed, expiring `state` on OAuth.
 */
export class HttpEndpoint extends Construct {
  readonly handler: LifelineFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    this.handler = new LifelineFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Lifeline: Slack OAuth install/redirect and Events API',
      environment: {
        [envKeys.tableName]: props.table.tableName,
        [envKeys.keyId]: props.key.keyArn,
        [envKeys.slackSecretArn]: props.slackSecret.secretArn,
        [envKeys.connectQueueUrl]: props.connectQueue.queueUrl,
        [envKeys.reactivationStateMachineArn]: props.reactivation.stateMachineArn,
        [envKeys.restartStateMachineArn]: props.restart.stateMachineArn,
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.key, tableActions.readWrite);
    // Seals new bot tokens on install; opens them to verify a reinstall.
    props.key.grant(fn, ...tokenKeyActions.seal, ...tokenKeyActions.open);
    props.slackSecret.grantRead(fn);
    props.connectQueue.grantSendMessages(fn);
    props.reactivation.grantStartExecution(fn);
    props.restart.grantStartExecution(fn);
    this.url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE, invokeMode: InvokeMode.BUFFERED });
  }
}
