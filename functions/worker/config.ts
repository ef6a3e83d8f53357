import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { compact, EnvReader, readSlackAppSecrets, type SlackAppSecretsConfig } from '../../shared/config';
import type { LivenessOptions } from './connection/types';
import type { WorkerOptions } from './options';

/**
 * How a worker process is wired. `embedded`: a child of `npm start` (or a test), reaching its
 * parent's queue, workflow, credentials and sink over IPC, and a DynamoDB-compatible endpoint.
 * `aws`: a Fargate task (SQS, Step Functions, the installation store under KMS, EventBridge);
 * its resources and the Slack app's secrets come from the task definition (`WorkerService`).
 */
export type WorkerConfig = WorkerBaseConfig & ({ mode: 'embedded' } | { mode: 'aws'; aws: WorkerAwsConfig });

/** What a Fargate worker talks to besides the table. */
export interface WorkerAwsConfig {
  connectQueueUrl: string;
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
  eventBusName: string;
  /** The key sealing installations' tokens (`KmsEnvelopeCipher`). */
  kmsKeyId: string;
  app: SlackAppSecretsConfig;
}

interface WorkerBaseConfig {
  workerId: string;
  tableName: string;
  region: string;
  dynamodbEndpoint?: string;
  slackApiUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  worker: Partial<WorkerOptions>;
  liveness: Partial<LivenessOptions>;
}

/** Reads the worker's environment once, failing with every problem named. */
export function readWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const read = new EnvReader(env);
  const mode = read.oneOf('LIFELINE_MODE', ['embedded', 'aws'] as const, 'aws');
  const base: WorkerBaseConfig = {
    workerId: read.optional('LIFELINE_WORKER_ID') ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`,
    tableName: read.required('LIFELINE_TABLE_NAME', 'the DynamoDB table holding links, workers and events'),
    region: read.optional('AWS_REGION') ?? read.optional('AWS_DEFAULT_REGION') ?? 'us-east-1',
    slackApiUrl: read.optional('SLACK_API_URL') ?? 'https://slack.com/api/',
    logLevel: read.oneOf('LIFELINE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    worker: compact({
      capacity: read.int('LIFELINE_CAPACITY'),
      leaseMs: read.int('LIFELINE_LEASE_MS'),
      heartbeatMs: read.int('LIFELINE_HEARTBEAT_MS'),
      reconcileMs: read.int('LIFELINE_RECONCILE_MS'),
      drainTimeoutMs: read.int('LIFELINE_DRAIN_TIMEOUT_MS'),
    }),
    liveness: compact({
      pingIdleMs: read.int('LIFELINE_PING_IDLE_MS'),
      deadAfterMs: read.int('LIFELINE_DEAD_AFTER_MS'),
      helloTimeoutMs: read.int('LIFELINE_HELLO_TIMEOUT_MS'),
      closeTimeoutMs: read.int('LIFELINE_CLOSE_TIMEOUT_MS'),
      serverPingTimeoutMs: read.int('LIFELINE_SERVER_PING_TIMEOUT_MS'),
    }),
  };
  const endpoint = read.optional('LIFELINE_DYNAMODB_ENDPOINT');
  if (endpoint) base.dynamodbEndpoint = endpoint;
  if (!base.slackApiUrl.endsWith('/')) base.slackApiUrl += '/';
  // Embedded workers get these over IPC from their parent, so only a Fargate task reads them.
  const config: WorkerConfig = mode === 'aws' ? { ...base, mode, aws: readAwsConfig(read) } : { ...base, mode };
  read.done();
  return config;
}

function readAwsConfig(read: EnvReader): WorkerAwsConfig {
  return {
    connectQueueUrl: read.required('LIFELINE_CONNECT_QUEUE_URL', 'the workers\' connect queue (SQS)'),
    restartStateMachineArn: read.required('LIFELINE_RESTART_STATE_MACHINE_ARN', 'the restart workflow: retries are scheduled on it, its connects answered'),
    reactivationStateMachineArn: read.required('LIFELINE_REACTIVATION_STATE_MACHINE_ARN', 'the reactivation workflow: its connects are answered by workers'),
    eventBusName: read.required('LIFELINE_EVENT_BUS_NAME', 'the EventBridge bus Slack events are put on'),
    kmsKeyId: read.required('LIFELINE_KMS_KEY_ID', 'the KMS key sealing installations\' tokens'),
    app: readSlackAppSecrets(read),
  };
}
