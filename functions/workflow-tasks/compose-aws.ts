import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbInstallationStore, DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { installationCredentialsFor, previousVersionWriter } from '../../shared/app';
import type { WorkflowTasksConfig } from './config';
import type { WorkflowTaskDeps } from './deps';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * The task Lambda's ports on AWS. Credentials come from the installation store, as the worker's
 * do: VerifyToken must judge the very token a worker would connect with.
 */
export function composeAwsWorkflowTasks(config: WorkflowTasksConfig): WorkflowTaskDeps {
  const table = { client: new DynamoDBClient({ region: config.region }), tableName: config.tableName };
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { component: 'workflow-tasks' } });
  return {
    links: new DynamoDbLinkStore(table),
    clock: Date,
    random: Math.random,
    // No heartbeats in view: write what every worker of this or the previous release reads.
    writeVersion: previousVersionWriter(),
    slack,
    credentials: installationCredentialsFor(config.app, {
      installations: new DynamoDbInstallationStore(table),
      cipher: new KmsEnvelopeCipher({ client: new KMSClient({ region: config.region }), keyId: config.kmsKeyId }),
      slack,
      clock: Date,
      log,
    }),
    metrics: new EmfMetrics({ write: stdout }),
    log,
  };
}
