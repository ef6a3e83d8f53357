import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { EventBridgeSink } from '../../shared/adapters/eventbridge';
import { createJsonLogger } from '../../shared/adapters/log';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { LINK_STATES } from '../../shared/domain';
import { allLinksIn, operatorSetLinksActive, previousVersionWriter, rowOf, type LinkRow } from '../../shared/app';
import type { Backend } from './backend';

export interface AwsTarget {
  tableName: string;
  region: string;
  /** Needed by `reactivate` (the connect goes to the workers' queue). */
  queueUrl?: string;
  restartStateMachineArn?: string;
  reactivationStateMachineArn?: string;
  /** The bot's bus (from `--stack`, or LIFELINE_EVENT_BUS_NAME): deactivate / reactivate tell the bot there. */
  eventBusName?: string;
  stackName?: string;
}

export interface AwsClients {
  /** The table's client; by default one for `target.region` with the SDK's credential chain. */
  dynamodb?: DynamoDBClient;
  /** The bus's client; by default one for `target.region`. */
  eventBridge?: EventBridgeClient;
}

/** A deployed stack: the table through the DynamoDB adapter; actions through SQS and Step Functions. */
export function awsBackend(target: AwsTarget, clients: AwsClients = {}): Backend {
  const client = clients.dynamodb ?? new DynamoDBClient({ region: target.region });
  const links = new DynamoDbLinkStore({ client, tableName: target.tableName });
  const all = async (): Promise<LinkRow[]> => (await allLinksIn(links, LINK_STATES)).map(rowOf);
  const refuse = (what: string) => async (): Promise<never> => {
    throw new Error(`${what} needs the connect queue and both workflows: name the orchestrator stack (--stack <name>), or set LIFELINE_CONNECT_QUEUE_URL, LIFELINE_RESTART_STATE_MACHINE_ARN and LIFELINE_REACTIVATION_STATE_MACHINE_ARN`);
  };
  const queue = target.queueUrl ? new SqsConnectQueue({ client: new SQSClient({ region: target.region }), queueUrl: target.queueUrl }) : { send: refuse('reactivate'), receive: refuse('receive') };
  const workflow = target.restartStateMachineArn && target.reactivationStateMachineArn
    ? new SfnWorkflow({ client: new SFNClient({ region: target.region }), restartStateMachineArn: target.restartStateMachineArn, reactivationStateMachineArn: target.reactivationStateMachineArn })
    : { scheduleRetry: refuse('this action'), cancelRetry: async () => undefined, startReactivation: refuse('this action'), completeConnect: refuse('this action') };
  const log = createJsonLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) });
  const metrics = { put: () => undefined };
  return {
    describe: target.stackName ? `stack ${target.stackName} in ${target.region} (table ${target.tableName})` : `table ${target.tableName} in ${target.region}`,
    counts: async () => {
      const counts: Record<string, number> = Object.fromEntries(LINK_STATES.map((s) => [s, 0]));
      for (const row of await all()) counts[row.state] = (counts[row.state] ?? 0) + 1;
      return counts;
    },
    // The workers' heartbeat items: Fargate has no pid or restart count to show, and an item
    // outlives its worker until the sweeper judges it dead (its lease is on the sweeper's clock).
    workers: async () => (await new DynamoDbWorkerRegistry({ client, tableName: target.tableName }).list()).map((w) => ({
      workerId: w.workerId, pid: null, state: w.draining ? 'draining' : 'registered', startedAt: w.startedAt, linkCount: w.linkCount,
    })),
    links: all,
    // Written as the previous machine version, as the Lambdas do: mid-deploy, old workers still read it.
    // The bot hears it on the stack's bus (`lifeline.parked` / `lifeline.reactivated`, reason `operator`), as from `npm start`.
    setActive: (action, active) => {
      const noticeSink = target.eventBusName ? new EventBridgeSink({ client: clients.eventBridge ?? new EventBridgeClient({ region: target.region }), eventBusName: target.eventBusName }) : undefined;
      const deps = { links, clock: Date, random: Math.random, writeVersion: previousVersionWriter(), queue, workflow, metrics, log, ...(noticeSink ? { noticeSink } : {}) };
      return operatorSetLinksActive(deps, action, active);
    },
  };
}
