import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { compact, ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl, readSlackAppSecrets, type LogLevel, type SlackAppSecretsConfig } from '../../shared/config';
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
  /** The bot's Lambda, when the stack was given one: payloads are invoked on it besides the bus. */
  botFunctionArn?: string;
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
  logLevel: LogLevel;
  worker: Partial<WorkerOptions>;
  liveness: Partial<LivenessOptions>;
  /** One attempt of a store call may take this long (`boundedStoreCalls`); unset, its default. */
  storeTimeoutMs?: number;
}

/** How often a worker on AWS looks for links parked elsewhere (`park-watch.ts`; ARCHITECTURE "Lifecycle" has the cost). */
export const AWS_PARK_WATCH_MS = 2_000;

/** Reads the worker's environment once, failing with every problem named. */
export function readWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const read = new EnvReader(env);
  const mode = read.oneOf(ENV.mode, ['embedded', 'aws'] as const);
  const base: WorkerBaseConfig = {
    workerId: read.optional(ENV.workerId) ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`,
    tableName: read.required(ENV.tableName),
    region: readRegion(read),
    slackApiUrl: readSlackApiUrl(read),
    logLevel: readLogLevel(read),
    worker: compact({
      capacity: read.int(ENV.capacity),
      leaseMs: read.int(ENV.leaseMs),
      heartbeatMs: read.int(ENV.heartbeatMs),
      reconcileMs: read.int(ENV.reconcileMs),
      drainTimeoutMs: read.int(ENV.drainTimeoutMs),
      parkWatchMs: read.int(ENV.parkWatchMs),
    }),
    liveness: compact({
      pingIdleMs: read.int(ENV.pingIdleMs),
      deadAfterMs: read.int(ENV.deadAfterMs),
      helloTimeoutMs: read.int(ENV.helloTimeoutMs),
      closeTimeoutMs: read.int(ENV.closeTimeoutMs),
      serverPingTimeoutMs: read.int(ENV.serverPingTimeoutMs),
    }),
  };
  const storeTimeoutMs = read.int(ENV.storeTimeoutMs);
  if (storeTimeoutMs !== undefined) base.storeTimeoutMs = storeTimeoutMs;
  const endpoint = read.optional(ENV.dynamodbEndpoint);
  if (endpoint) base.dynamodbEndpoint = endpoint;
  // Embedded workers get these over IPC from their parent, so only a Fargate task reads them.
  // On AWS nothing else tells a worker of a park written by the HTTP Lambda or a task in time:
  // it looks every 2 s unless told otherwise (embedded workers hear it from their parent).
  if (mode === 'aws') base.worker = { parkWatchMs: AWS_PARK_WATCH_MS, ...base.worker };
  const config: WorkerConfig = mode === 'aws' ? { ...base, mode, aws: readAwsConfig(read) } : { ...base, mode };
  read.done();
  return config;
}

function readAwsConfig(read: EnvReader): WorkerAwsConfig {
  const botFunctionArn = read.optional(ENV.botFunctionArn);
  return {
    connectQueueUrl: read.required(ENV.connectQueueUrl),
    restartStateMachineArn: read.required(ENV.restartStateMachineArn),
    reactivationStateMachineArn: read.required(ENV.reactivationStateMachineArn),
    eventBusName: read.required(ENV.eventBusName),
    ...(botFunctionArn ? { botFunctionArn } : {}),
    kmsKeyId: read.required(ENV.keyId),
    app: readSlackAppSecrets(read),
  };
}
