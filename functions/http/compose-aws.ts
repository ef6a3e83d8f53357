import { previousVersionWriter } from '../../shared/app';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { awsSinkFor } from '../../shared/adapters/lambda';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import type { Logger, SecretSource, Sink, Workflow } from '../../shared/ports';
import { httpEndpointSecretFields } from '../../shared/schema';
import { rebuiltOnRotation, slackAppSecretSource } from '../../shared/adapters/secrets';
import { slackAppConfig, type HttpConfig } from './config';
import type { HttpDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

export interface AwsHttpOptions {
  /** Where the Slack app secret comes from. Default: Secrets Manager, by the configured ARN. */
  secrets?: SecretSource;
}

/**
 * Builds the Lambda's ports from its configuration: the one place its adapters are chosen. The
 * clients are built once; the app's config (client, signing and state secrets) follows the Slack
 * app secret's current value, so a rotation reaches the next request after the source's cache.
 */
export function composeAwsHttp(config: HttpConfig, workflow: Workflow, options: AwsHttpOptions = {}): () => Promise<HttpDeps> {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
  });
  const table = { client, tableName: config.tableName };
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { fn: 'http' } });
  const ports: Omit<HttpDeps, 'config'> = {
    links: new DynamoDbLinkStore(table),
    installations: new DynamoDbInstallationStore(table),
    dedupe: new DynamoDbEventDedupe(table),
    cipher: new KmsEnvelopeCipher({ client: new KMSClient({ region: config.region }), keyId: config.kmsKeyId }),
    oauth: slack,
    rtm: slack,
    ...httpSink(config, log),
    queue: new SqsConnectQueue({ client: new SQSClient({ region: config.region }), queueUrl: config.connectQueueUrl }),
    workflow,
    metrics: new EmfMetrics({ write: stdout }),
    log,
    clock: Date,
    random: Math.random,
    // No heartbeats in view: write what every worker of this or the previous release reads.
    writeVersion: previousVersionWriter(),
  };
  const secrets = options.secrets ?? slackAppSecretSource({ region: config.region, secretArn: config.slackSecretArn, fields: httpEndpointSecretFields, log });
  return rebuiltOnRotation(secrets, (fields) => ({ ...ports, config: slackAppConfig(config.app, fields) }));
}

/**
 * Where the endpoint's verified deliveries go: what the workers use (`awsSinkFor`): the bus, and
 * the bot's Lambda too when one is configured, whose answer to a command or an interaction is
 * the response. The bus alone carries no answer, so those are answered with an empty 200, as a
 * Socket Mode envelope is acked bare then. No bus: no sink (events are only acted on).
 */
export function httpSink(config: Pick<HttpConfig, 'eventBusName' | 'botFunctionArn' | 'region'>, log: Logger): { sink?: Sink } {
  if (!config.eventBusName) return {};
  return { sink: awsSinkFor({ region: config.region, eventBusName: config.eventBusName, ...(config.botFunctionArn ? { botFunctionArn: config.botFunctionArn } : {}) }, log) };
}
