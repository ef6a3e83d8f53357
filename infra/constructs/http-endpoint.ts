import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LifelineFunction } from './lifeline-function';
import { envKeys } from '../../shared/config/env-keys';
import { grantSecretRead, slackAppEnvironment, slackAppSecret, type SlackAppSettings } from './slack-app-secret';
import { grantTable, tableActions } from './table-access';
import { grantTokenKey } from './token-key';
import { grantInvokeBot } from './bot-function';
import type { IEventBus } from 'aws-cdk-lib/aws-events';

export interface HttpEndpointProps {
  readonly entry: string;
  readonly projectRoot: string;
  readonly table: ITable;
  /** The table's key (used through DynamoDB only). */
  readonly tableKey: IKey;
  /** The key wrapping Slack tokens: install seals a new bot token, a reinstall opens one. */
  readonly tokenKey: IKey;
  /** A fixed role name: the token key's policy names this role. */
  readonly roleName?: string;
  readonly connectQueue: IQueue;
  readonly restart: IStateMachine;
  readonly reactivation: IStateMachine;
  readonly slack: SlackAppSettings;
  /** Where verified deliveries (a classic app's events, commands, interactions) go, as the workers' do. */
  readonly eventBus?: IEventBus;
  /** The bot's Lambda, when there is one: commands and interactions are answered with what it returns. */
  readonly botFunctionArn?: string;
  /** Requests per second across all routes (Slack retries throttled events). Default 50, burst 100. */
  readonly rateLimit?: number;
}

const routes = { install: '/slack/install', redirect: '/slack/oauth_redirect', events: '/slack/events' } as const;

/**
 * Slack's OAuth and Events API on one Lambda behind an HTTP API: HTTPS with an AWS certificate,
 * access logs and a throttle, about $1 per million requests. Not a Function URL: the handler must
 * know its own redirect URL, and a function cannot reference its own Function URL without a
 * dependency cycle, while an API's address exists before its integration. The routes are public
 * by design (Slack calls them); requests prove themselves by Slack's signature (events) and a
 * signed, expiring `state` (OAuth).
 */
export class HttpEndpoint extends Construct {
  readonly handler: LifelineFunction;
  readonly api: HttpApi;
  readonly routes: HttpRoute[];
  readonly installUrl: string;
  readonly redirectUrl: string;
  readonly eventsUrl: string;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { description: 'Lifeline: Slack OAuth and Events API', createDefaultStage: false });
    const base = `https://${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.installUrl = `${base}${routes.install}`;
    this.redirectUrl = `${base}${routes.redirect}`;
    this.eventsUrl = `${base}${routes.events}`;

    // The secret's ARN, never a value: the handler reads client, signing and state secrets at run
    // time (cached a minute), so no value is in the template or the function's configuration.
    this.handler = new LifelineFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Lifeline: Slack OAuth install/redirect and Events API',
      timeout: Duration.seconds(15),
      ...(props.roleName ? { roleName: props.roleName } : {}),
      environment: {
        [envKeys.tableName]: props.table.tableName,
        [envKeys.keyId]: props.tokenKey.keyArn,
        [envKeys.connectQueueUrl]: props.connectQueue.queueUrl,
        [envKeys.restartStateMachineArn]: props.restart.stateMachineArn,
        [envKeys.reactivationStateMachineArn]: props.reactivation.stateMachineArn,
        [envKeys.redirectUri]: this.redirectUrl,
        ...(props.eventBus ? { [envKeys.eventBusName]: props.eventBus.eventBusName } : {}),
        ...(props.botFunctionArn ? { [envKeys.botFunctionArn]: props.botFunctionArn } : {}),
        // The app's id and protocol (always set, its default resolved from the one table) and the secret's ARN.
        ...slackAppEnvironment(props.slack),
        ...(props.slack.scopes?.length ? { [envKeys.scopes]: props.slack.scopes.join(',') } : {}),
      },
    });
    const fn = this.handler.function;
    grantTable(fn, props.table, props.tableKey, tableActions.readWrite);
    grantSecretRead(fn, slackAppSecret(this, props.slack));
    // Seals new bot tokens on install; opens them to verify a reinstall.
    grantTokenKey(fn, props.tokenKey, props.slack.appId);
    props.eventBus?.grantPutEventsTo(fn);
    if (props.botFunctionArn) grantInvokeBot(fn, props.botFunctionArn);
    props.connectQueue.grantSendMessages(fn);
    props.reactivation.grantStartExecution(fn);
    props.restart.grantStartExecution(fn);

    const integration = new HttpLambdaIntegration('Slack', fn);
    this.routes = [
      ...this.api.addRoutes({ path: routes.install, methods: [HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: routes.redirect, methods: [HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: routes.events, methods: [HttpMethod.POST], integration }),
    ];
    const rate = props.rateLimit ?? 50;
    new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: rate, burstLimit: rate * 2 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY })),
      },
    });
  }
}
