import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EmfFleetMetrics } from '../../shared/adapters/cloudwatch';
import { DynamoDbInstallationStore } from '../../shared/adapters/dynamodb';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { awsSinkFor } from '../../shared/adapters/lambda';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { installationCredentialsFor } from '../../shared/app';
import type { FleetMetrics, Logger, SlackOAuthApi } from '../../shared/ports';
import type { WorkerAwsConfig } from './config';
import type { ModePorts } from './compose-embedded';

export interface AwsPortsContext {
  region: string;
  table: { client: DynamoDBClient; tableName: string };
  slack: SlackOAuthApi;
  clock: { now(): number };
  log: Logger;
}

/** Where the fleet's metric lines go: stdout, which the awslogs driver hands to CloudWatch Logs (EMF). */
const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * The ports that differ by mode, on Fargate: SQS for connect commands, Step Functions for
 * retries and connect outcomes, the installation store (tokens opened with KMS, rotating ones
 * renewed with the app's client credentials) and EventBridge for the bot's events, plus the bot's
 * Lambda when the stack was given one (`LIFELINE_BOT_FUNCTION_ARN`: commands and interactions
 * synchronously, their answers in the ack), and the fleet metrics the service's autoscaling
 * tracks (EMF lines under the table's name, the one name every worker of a deployment shares).
 */
export function composeAwsPorts(config: WorkerAwsConfig, context: AwsPortsContext): ModePorts & { fleetMetrics: FleetMetrics } {
  const { region, table, slack, clock, log } = context;
  return {
    queue: new SqsConnectQueue({
      client: new SQSClient({ region }),
      queueUrl: config.connectQueueUrl,
      // Left on the queue, so its redrive policy moves it to the DLQ (alarmed) after a few receives.
      onInvalidMessage: (messageId, error) => log.warn('connect queue: not a connect command', { messageId, error }),
    }),
    workflow: new SfnWorkflow({
      client: new SFNClient({ region }),
      restartStateMachineArn: config.restartStateMachineArn,
      reactivationStateMachineArn: config.reactivationStateMachineArn,
    }),
    credentials: installationCredentialsFor(config.app, {
      installations: new DynamoDbInstallationStore(table),
      cipher: new KmsEnvelopeCipher({ client: new KMSClient({ region }), keyId: config.kmsKeyId }),
      slack,
      clock,
      log,
    }),
    fleetMetrics: new EmfFleetMetrics({ write: stdout, fleet: table.tableName, now: () => clock.now() }),
    sink: awsSinkFor({ region, eventBusName: config.eventBusName, ...(config.botFunctionArn ? { botFunctionArn: config.botFunctionArn } : {}) }, log),
  };
}
