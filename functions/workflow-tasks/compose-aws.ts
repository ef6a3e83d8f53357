import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbInstallationStore, DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { awsSinkFor } from '../../shared/adapters/lambda';
import { rebuiltOnRotation, slackAppSecretSource } from '../../shared/adapters/secrets';
import { installationCredentialsFor, previousVersionWriter } from '../../shared/app';
import { slackAppSecretsFrom } from '../../shared/config';
import type { SecretSource } from '../../shared/ports';
import { tokenOpenerSecretFields } from '../../shared/schema';
import type { WorkflowTasksConfig } from './config';
import type { WorkflowTaskDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

export interface AwsWorkflowTasksOptions {
  /** Where the Slack app secret comes from. Default: Secrets Manager, by the configured ARN. */
  secrets?: SecretSource;
  /** The notices' clients (tests point them at a local server); by default the SDK's for the region. */
  clients?: { eventBridge?: EventBridgeClient };
}

/**
 * The task Lambda's ports on AWS, as of the Slack app secret's current value: the clients are
 * built once; the credentials (which hold the app's client secret and app token) are rebuilt
 * when the secret rotates. Credentials come from the installation store, as the worker's do:
 * VerifyToken must judge the very token a worker would connect with.
 */
export function composeAwsWorkflowTasks(config: WorkflowTasksConfig, options: AwsWorkflowTasksOptions = {}): () => Promise<WorkflowTaskDeps> {
  const table = { client: new DynamoDBClient({ region: config.region }), tableName: config.tableName };
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { component: 'workflow-tasks' } });
  const installations = new DynamoDbInstallationStore(table);
  const cipher = new KmsEnvelopeCipher({ client: new KMSClient({ region: config.region }), keyId: config.kmsKeyId });
  // No heartbeats in view: snapshots are written as the previous version, which every worker of this or the previous release reads.
  // The same Sink port as the workers and the HTTP Lambda (the bus; not the bot's Lambda, which
  // hears these on the bus): a pool link a task parks (its app token refused, `link_disabled`)
  // and a reinstall the workflow verified or refused are told to the bot.
  const sink = config.eventBusName ? awsSinkFor({ region: config.region, eventBusName: config.eventBusName }, log, options.clients) : undefined;
  const ports = { links: new DynamoDbLinkStore(table), clock: Date, random: Math.random, writeVersion: previousVersionWriter(), slack, metrics: new EmfMetrics({ write: stdout }), log, ...(sink ? { sink } : {}) };
  const secrets =
    options.secrets ?? slackAppSecretSource({ region: config.region, secretArn: config.slackSecretArn, fields: tokenOpenerSecretFields(config.app.protocol), log });
  return rebuiltOnRotation(secrets, (fields) => ({
    ...ports,
    credentials: installationCredentialsFor(slackAppSecretsFrom(config.app, fields), { installations, cipher, slack, clock: Date, log }),
  }));
}
