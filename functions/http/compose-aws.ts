import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import type { Workflow } from '../../shared/ports';
import type { HttpConfig } from './config';
import type { HttpDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/** Builds the Lambda's ports from its configuration: the one place its adapters are chosen. */
export function composeAwsHttp(config: HttpConfig, workflow: Workflow): HttpDeps {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
  });
  const table = { client, tableName: config.tableName };
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  return {
    config: config.app,
    links: new DynamoDbLinkStore(table),
    installations: new DynamoDbInstallationStore(table),
    dedupe: new DynamoDbEventDedupe(table),
    cipher: new KmsEnvelopeCipher({ client: new KMSClient({ region: config.region }), keyId: config.kmsKeyId }),
    oauth: slack,
    rtm: slack,
    queue: new SqsConnectQueue({ client: new SQSClient({ region: config.region }), queueUrl: config.connectQueueUrl }),
    workflow,
    metrics: new EmfMetrics({ write: stdout }),
    log: createJsonLogger({ level: config.logLevel, write: stdout, fields: { fn: 'http' } }),
    clock: Date,
    random: Math.random,
  };
}
