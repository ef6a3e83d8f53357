import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';

const WORKER_MAIN = fileURLToPath(new URL('../worker/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** Secrets a worker has no use for: it gets tokens one at a time over IPC from the credentials service. */
const WITHHELD = ['SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_ID'];

export interface SpawnWorkerOptions {
  env: Record<string, string | undefined>;
  tableName: string;
  dynamodbEndpoint: string;
  slackApiUrl: string;
  leaseMs: number;
  /** A fresh sink per stream (stdout, stderr): each splits its own lines (logs.ts `workerOutput`). */
  output: () => Writable;
}

/** Forks `functions/worker/main.ts` in embedded mode, its output to the workers' log (metrics to their own). */
export function spawnWorker(workerId: string, options: SpawnWorkerOptions): ChildProcess {
  const env: Record<string, string | undefined> = { ...options.env };
  for (const key of WITHHELD) delete env[key];
  const child = fork(WORKER_MAIN, [], {
    execArgv: ['--import', TSX],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...env,
      LIFELINE_MODE: 'embedded',
      LIFELINE_WORKER_ID: workerId,
      LIFELINE_TABLE_NAME: options.tableName,
      LIFELINE_DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
      SLACK_API_URL: options.slackApiUrl,
      LIFELINE_LEASE_MS: String(options.leaseMs),
      // Embedded workers drain only when the whole system stops, when every peer drains too: a
      // hand-off would find no taker, so do not wait long for one.
      LIFELINE_DRAIN_TIMEOUT_MS: env.LIFELINE_DRAIN_TIMEOUT_MS ?? '2000',
    },
  });
  child.stdout?.pipe(options.output());
  child.stderr?.pipe(options.output());
  return child;
}
