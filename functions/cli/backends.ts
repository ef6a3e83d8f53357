import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { LINK_STATES } from '../../shared/domain';
import type { TeamActionResult } from '../embedded/operations';
import { setTeamActive } from '../embedded/operations';
import { rowOf, type LinkRow } from '../embedded/status/link-board';

/** Where the CLI reads and acts: a running `npm start` over HTTP, or a deployed stack's table. */
export interface Backend {
  describe: string;
  counts(): Promise<Record<string, number>>;
  workers(): Promise<unknown[]>;
  links(): Promise<LinkRow[]>;
  setActive(teamOrApp: string, active: boolean): Promise<TeamActionResult>;
}

export function httpBackend(baseUrl: string): Backend {
  const call = async (path: string, init?: RequestInit): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, init);
    } catch (error) {
      throw new Error(`no Lifeline answers at ${baseUrl} (is \`npm start\` running? --url or PORT picks another)`, { cause: error });
    }
    const body = await res.json() as Record<string, unknown>;
    if (!res.ok && res.status !== 404) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    describe: `embedded Lifeline at ${baseUrl}`,
    counts: async () => ((await call('/status.json')) as { links: Record<string, number> }).links,
    workers: async () => ((await call('/status.json')) as { workers: unknown[] }).workers,
    links: async () => ((await call('/api/links')) as { links: LinkRow[] }).links,
    setActive: async (target, active) => (await call(`/api/teams/${encodeURIComponent(target)}/${active ? 'reactivate' : 'deactivate'}`, { method: 'POST' })) as TeamActionResult,
  };
}

export interface AwsTarget {
  tableName: string;
  region: string;
  /** Needed by `reactivate` (the connect goes to the workers' queue). */
  queueUrl?: string;
  restartStateMachineArn?: string;
  reactivationStateMachineArn?: string;
}

/** A deployed stack: the table through the DynamoDB adapter; actions through SQS and Step Functions. */
export function awsBackend(target: AwsTarget): Backend {
  const client = new DynamoDBClient({ region: target.region });
  const links = new DynamoDbLinkStore({ client, tableName: target.tableName });
  const all = async (): Promise<LinkRow[]> => {
    const rows: LinkRow[] = [];
    for (const state of LINK_STATES) {
      let cursor: string | undefined;
      do {
        const page = await links.listByState(state, cursor ? { cursor, limit: 500 } : { limit: 500 });
        rows.push(...page.items.map(rowOf));
        cursor = page.cursor;
      } while (cursor);
    }
    return rows;
  };
  const refuse = (what: string) => async (): Promise<never> => {
    throw new Error(`${what} needs LIFELINE_CONNECT_QUEUE_URL, LIFELINE_RESTART_STATE_MACHINE_ARN and LIFELINE_REACTIVATION_STATE_MACHINE_ARN (the stack's outputs)`);
  };
  const queue = target.queueUrl ? new SqsConnectQueue({ client: new SQSClient({ region: target.region }), queueUrl: target.queueUrl }) : { send: refuse('reactivate'), receive: refuse('receive') };
  const workflow = target.restartStateMachineArn && target.reactivationStateMachineArn
    ? new SfnWorkflow({ client: new SFNClient({ region: target.region }), restartStateMachineArn: target.restartStateMachineArn, reactivationStateMachineArn: target.reactivationStateMachineArn })
    : { scheduleRetry: refuse('this action'), cancelRetry: async () => undefined, startReactivation: refuse('this action'), completeConnect: refuse('this action') };
  const log = createJsonLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) });
  const metrics = { put: () => undefined };
  return {
    describe: `table ${target.tableName} in ${target.region}`,
    counts: async () => {
      const counts: Record<string, number> = Object.fromEntries(LINK_STATES.map((s) => [s, 0]));
      for (const row of await all()) counts[row.state] = (counts[row.state] ?? 0) + 1;
      return counts;
    },
    workers: async () => [],
    links: all,
    setActive: (teamOrApp, active) => setTeamActive({ links, clock: Date, random: Math.random, queue, workflow, metrics, log }, teamOrApp, active),
  };
}
