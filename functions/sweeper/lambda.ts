// Lambda entry point of the scheduled sweeper. Reads its environment once, at cold start, and
// fails loudly naming what is missing; everything else is `makeHandler` over `sweepLinks`.
import { previousVersionWriter } from '../../shared/app';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { readSweeperConfig } from './config';
import { makeHandler } from './handler';

const config = readSweeperConfig(process.env);
const write = (line: string): void => void process.stdout.write(`${line}\n`);
const table = { client: new DynamoDBClient({ region: config.region }), tableName: config.tableName };

export const handler = makeHandler({
  links: new DynamoDbLinkStore(table),
  registry: new DynamoDbWorkerRegistry(table),
  queue: new SqsConnectQueue({ client: new SQSClient({ region: config.region }), queueUrl: config.connectQueueUrl }),
  workflow: new SfnWorkflow({
    client: new SFNClient({ region: config.region }),
    restartStateMachineArn: config.restartStateMachineArn,
    reactivationStateMachineArn: config.reactivationStateMachineArn,
  }),
  metrics: new EmfMetrics({ write }),
  log: createJsonLogger({ level: config.logLevel, write, fields: { component: 'sweeper' } }),
  clock: Date,
  random: Math.random,
  // No heartbeats in view: write what every worker of this or the previous release reads.
  writeVersion: previousVersionWriter(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
