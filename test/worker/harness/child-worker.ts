import { fork, type ChildProcess } from 'node:child_process';
import { serveConnectQueueOverIpc, serveCredentialsOverIpc, serveSinkOverIpc, serveWorkflowOverIpc } from '../../../shared/adapters/ipc';
import type { ConnectQueue, Credentials, Sink, Workflow } from '../../../shared/ports';

/** What a forked worker is given: the table, Slack, and the ports it reaches over IPC (`World` has them all). */
export interface ChildWorkerHost {
  tableName: string;
  engine: { endpoint: string };
  sim: { apiUrl: string };
  queue: ConnectQueue;
  workflow: Workflow;
  linkCredentials: Credentials;
  sink: Sink;
}

export interface ChildWorker {
  workerId: string;
  process: ChildProcess;
  /** Everything the child wrote (JSON log lines and EMF metrics). */
  output: string[];
  exited: Promise<number | null>;
}

/**
 * Forks the real worker entry point with an embedded configuration, and serves it the world's
 * queue, workflow, credentials and sink over IPC, as `npm start` will.
 */
export async function forkWorker(world: ChildWorkerHost, env: Record<string, string>): Promise<ChildWorker> {
  const workerId = env.LIFELINE_WORKER_ID ?? `child-${Math.random().toString(36).slice(2, 8)}`;
  const child = fork('functions/worker/main.ts', [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      LIFELINE_MODE: 'embedded',
      LIFELINE_WORKER_ID: workerId,
      LIFELINE_TABLE_NAME: world.tableName,
      LIFELINE_DYNAMODB_ENDPOINT: world.engine.endpoint,
      SLACK_API_URL: world.sim.apiUrl,
      LIFELINE_LEASE_MS: '3000',
      LIFELINE_HEARTBEAT_MS: '500',
      LIFELINE_PING_IDLE_MS: '300',
      LIFELINE_DEAD_AFTER_MS: '900',
      LIFELINE_HELLO_TIMEOUT_MS: '1500',
      LIFELINE_CLOSE_TIMEOUT_MS: '300',
      LIFELINE_LOG_LEVEL: 'info',
      ...env,
    },
  });
  serveConnectQueueOverIpc(child, world.queue);
  serveWorkflowOverIpc(child, world.workflow);
  serveCredentialsOverIpc(child, world.linkCredentials);
  serveSinkOverIpc(child, world.sink);
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${workerId} did not start:\n${output.join('\n')}`)), 20_000);
    child.on('message', (message) => {
      if ((message as { lifeline?: string }).lifeline === 'worker-ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${workerId} exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return { workerId, process: child, output, exited };
}
