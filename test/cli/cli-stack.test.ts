import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, type DynaliteServer } from '../../shared/adapters/dynalite';
import { silentLogger } from '../../shared/adapters/log';
import { applyEvent, rtmLinkId, setLinksActive } from '../../shared/app';
import { SNAPSHOT_VERSIONS } from '../../shared/domain';
import { runCli } from '../../functions/cli/run';
import { STACK_OUTPUT_KEYS } from '../../functions/cli/stack-outputs';

// `lifeline --stack <orchestrator stack>`: CloudFormation (mocked) names the table, queue and
// workflows; the table is a real DynamoDB table (dynalite) read through the CLI's own adapter;
// SQS and Step Functions are mocked, so the test sees where reactivate sends its connect.
const STACK = 'Lifeline-Orchestrator';
const REGION = 'eu-west-1';
const TABLE = 'lifeline-links';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/lifeline-connect';
const outputs = {
  [STACK_OUTPUT_KEYS.tableName]: TABLE,
  [STACK_OUTPUT_KEYS.queueUrl]: QUEUE_URL,
  [STACK_OUTPUT_KEYS.restartStateMachineArn]: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Restart',
  [STACK_OUTPUT_KEYS.reactivationStateMachineArn]: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Reactivation',
  [STACK_OUTPUT_KEYS.eventBusName]: 'lifeline-events',
};
const LINKS = [rtmLinkId('A0RTM', 'T1'), rtmLinkId('A0RTM', 'T2'), rtmLinkId('A0OTHER', 'T3')];

const cfn = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);
let server: DynaliteServer;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  server = await startDynaliteServer();
  dynamodb = new DynamoDBClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureLinkTable(dynamodb, TABLE);
  const deps = {
    links: new DynamoDbLinkStore({ client: dynamodb, tableName: TABLE }), clock: Date, random: () => 0.5, metrics: { put: () => undefined }, log: silentLogger,
    queue: { send: async () => undefined, receive: async () => [] },
    workflow: { scheduleRetry: async () => undefined, cancelRetry: async () => undefined, startReactivation: async () => undefined, completeConnect: async () => undefined },
  };
  for (const id of LINKS) await applyEvent(deps, id, { type: 'CONNECT' });
  await setLinksActive(deps, { kind: 'team', id: 'T2' }, false);
  // One Fargate worker's heartbeat item, holding two of the three links.
  await new DynamoDbWorkerRegistry({ client: dynamodb, tableName: TABLE }).register({ workerId: 'task-0a1b', counter: 0, leaseMs: 20_000, capacity: 5_000, linkCount: 2, draining: false, startedAt: Date.now() - 5 * 60_000 });
  for (const id of [LINKS[0]!, LINKS[2]!]) await deps.links.claim({ id, owner: 'task-0a1b', expectedEpoch: (await deps.links.get(id))!.epoch, now: Date.now() });
});
afterAll(async () => server.stop());
beforeEach(() => {
  cfn.reset();
  sqs.reset();
  sfn.reset();
  events.reset();
  events.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `ev-${i}` })) }));
  cfn.on(DescribeStacksCommand, { StackName: STACK }).resolves({ Stacks: [{ StackName: STACK, CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});
afterEach(() => cfn.reset());

async function lifeline(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (t) => void (stdout += `${t}\n`), err: (t) => void (stderr += `${t}\n`), env, cwd: process.cwd(), now: Date.now, clients: { dynamodb } });
  return { code, stdout, stderr };
}

describe('lifeline --stack <orchestrator stack>', () => {
  it('reads the table from the stack\'s outputs: links, filtered', async () => {
    const { code, stdout } = await lifeline(['links', '--stack', STACK, '--region', REGION, '--app', 'A0RTM', '--json']);
    expect(code).toBe(0);
    expect(cfn.commandCalls(DescribeStacksCommand, { StackName: STACK })).toHaveLength(1);
    expect(await cfn.call(0).thisValue.config.region()).toBe(REGION);
    expect((JSON.parse(stdout) as { id: string }[]).map((r) => r.id).sort()).toEqual(LINKS.slice(0, 2).sort());
  });

  it('status names the stack and counts its links', async () => {
    const { code, stdout } = await lifeline(['status', '--stack', STACK, '--region', REGION]);
    expect(code).toBe(0);
    expect(stdout).toContain(`stack ${STACK} in ${REGION} (table ${TABLE})`);
    expect(stdout).toMatch(/^connecting\s+2$/m);
    expect(stdout).toMatch(/^inactive\s+1$/m);
    expect(stdout).toMatch(/^total\s+3$/m);
    // The workers from their heartbeat items: links held against capacity, and their share of the links by owner.
    expect(stdout).toMatch(/^task-0a1b\s+-\s+registered\s+2\/5000\s+100%\s+5m ago\s+-$/m);
  });

  it('reactivate sends the connect to the queue the stack names', async () => {
    const { code, stdout, stderr } = await lifeline(['reactivate', 'T2', '--stack', STACK, '--region', REGION]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`${LINKS[1]}: inactive → connecting`);
    const sends = sqs.commandCalls(SendMessageCommand);
    expect(sends.length).toBeGreaterThanOrEqual(1);
    expect(sends.every((call) => call.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
    expect(JSON.stringify(sends.map((call) => call.args[0].input.MessageBody))).toContain('T2');
    // Mid-deploy, workers of the previous release still read what an operator writes.
    expect((await new DynamoDbLinkStore({ client: dynamodb, tableName: TABLE }).get(LINKS[1]!))!.snapshot.machineVersion).toBe(SNAPSHOT_VERSIONS.previous);
  });

  it('a stack without the outputs (the stateful one, an older deploy) is named with what is missing; exit 1', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Lifeline-Stateful', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'TableName', OutputValue: TABLE }] }] });
    const { code, stderr } = await lifeline(['status', '--stack', 'Lifeline-Stateful', '--region', REGION]);
    expect(code).toBe(1);
    expect(stderr).toContain('stack Lifeline-Stateful in eu-west-1 has no output ConnectQueueUrl, RestartStateMachineArn, ReactivationStateMachineArn');
  });

  it('a stack that does not exist: CloudFormation\'s reason, exit 1', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).rejects(new Error('Stack with id Nope does not exist'));
    const { code, stderr } = await lifeline(['links', '--stack', 'Nope', '--region', REGION]);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read stack Nope in eu-west-1: Stack with id Nope does not exist');
  });

  // Issue 15: an operator's action against AWS is told to the bot on the stack's bus, as `npm start`'s is.
  const putOnBus = () => events.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

  it('deactivate and reactivate tell the bot on the stack\'s bus: lifeline.parked / lifeline.reactivated, reason operator', async () => {
    const parked = await lifeline(['deactivate', 'T1', '--stack', STACK, '--region', REGION]);
    expect(parked.stderr).toBe('');
    expect(parked.stdout).toContain(`${LINKS[0]}: connecting → inactive`);
    expect(parked.stdout).toContain('bot told: lifeline_parked for team T1');
    const reactivated = await lifeline(['reactivate', 'T1', '--stack', STACK, '--region', REGION, '--json']);
    expect(reactivated.code).toBe(0);
    expect((JSON.parse(reactivated.stdout) as { notices: unknown[] }).notices).toEqual([{ kind: 'lifeline_reactivated', appId: 'A0RTM', installId: 'T1', linkIds: [LINKS[0]], told: true }]);

    const entries = putOnBus();
    expect(entries.map((e) => [e.EventBusName, e.DetailType])).toEqual([['lifeline-events', 'lifeline.parked'], ['lifeline-events', 'lifeline.reactivated']]);
    expect(entries.map((e) => (JSON.parse(e.Detail!) as { payload: unknown }).payload)).toEqual([
      expect.objectContaining({ type: 'lifeline_parked', app_id: 'A0RTM', team_id: 'T1', reason: 'operator', link_ids: [LINKS[0]] }),
      expect.objectContaining({ type: 'lifeline_reactivated', app_id: 'A0RTM', team_id: 'T1', reason: 'operator', link_ids: [LINKS[0]] }),
    ]);
  });

  it('an action that moves no link in or out of a park tells the bot nothing', async () => {
    const again = await lifeline(['reactivate', 'T1', '--stack', STACK, '--region', REGION]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${LINKS[0]}: connecting → connecting`);
    expect(again.stdout).not.toContain('bot');
    expect(putOnBus()).toEqual([]);
  });

  it('--table with LIFELINE_EVENT_BUS_NAME tells the bot there; without a bus the action stands and says the bot was not told', async () => {
    const told = await lifeline(['deactivate', 'T3', '--table', TABLE, '--region', REGION], { LIFELINE_EVENT_BUS_NAME: 'bus-from-env' });
    expect(told.code).toBe(0);
    expect(putOnBus().map((e) => [e.EventBusName, e.DetailType])).toEqual([['bus-from-env', 'lifeline.parked']]);

    const untold = await lifeline(['deactivate', '--app', 'A0RTM', '--table', TABLE, '--region', REGION]);
    expect(untold.code).toBe(0);
    expect(untold.stdout).toContain(`${LINKS[0]}: connecting → inactive`);
    expect(untold.stdout).toContain('bot NOT told: lifeline_parked for team T1 (no event bus');
    expect(putOnBus()).toHaveLength(1);
  });
});
