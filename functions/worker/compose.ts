import { DynamoDbAppTokenMemory } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { composeAwsPorts } from './compose-aws';
import { composeEmbeddedPorts } from './compose-embedded';
import { composeWorkerStore } from './compose-store';
import { IntervalTicker, openSlackConnection } from './connection';
import type { WorkerConfig } from './config';
import type { WorkerDeps } from './deps';
import type { AppTokenMemory } from '../../shared/ports';

const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * Builds a worker's ports from its configuration: the one place adapters are chosen. The table,
 * Slack and metrics are the same in both modes; the queue, workflow, credentials and sink are the
 * parent's (over IPC) embedded and the AWS services on Fargate.
 */
export function composeWorker(config: WorkerConfig): { deps: WorkerDeps; ticker: IntervalTicker; appTokens?: AppTokenMemory } {
  const log = createJsonLogger({ level: config.logLevel, write: stdout, fields: { workerId: config.workerId } });
  const store = composeWorkerStore(config);
  const { table } = store;
  const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
  const clock = Date;
  const ticker = new IntervalTicker();
  const ports = config.mode === 'aws'
    ? composeAwsPorts(config.aws, { region: config.region, table, slack, clock, log })
    : composeEmbeddedPorts();
  const deps: WorkerDeps = {
    workerId: config.workerId,
    links: store.links,
    registry: store.registry,
    dedupe: store.dedupe,
    installations: store.installations,
    ...ports,
    slack,
    metrics: new EmfMetrics({ write: stdout }),
    log,
    openConnection: (args) => openSlackConnection({ ...args, liveness: config.liveness, ticker }),
    clock,
    random: Math.random,
  };
  // AWS: the fleet's memory of the app token, in the table (embedded, the parent keeps it in the data dir).
  return { deps, ticker, ...(config.mode === 'aws' ? { appTokens: new DynamoDbAppTokenMemory(table) } : {}) };
}
