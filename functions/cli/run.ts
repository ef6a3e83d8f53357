import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, OPERATOR_TOKEN_FILE, type LinkRow, type OperatorNoticeOutcome, type OperatorTarget } from '../../shared/app';
import { LINK_STATES, type LinkStateName } from '../../shared/domain';
import { awsBackend } from './aws-backend';
import type { Backend } from './backend';
import { linksText, statusText } from './format';
import { httpBackend } from './http-backend';
import { readStackTarget } from './stack-outputs';
import { USAGE, UsageError } from './usage';

/** What the CLI touches outside itself: given by `main.ts`, replaced in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The environment, `.env` already merged under it (`npm start` reads it the same way). */
  env: Record<string, string | undefined>;
  cwd: string;
  now(): number;
  /** The table's and the bus's clients (tests point them at local servers); the others are the SDK's defaults for the region. */
  clients?: { dynamodb?: DynamoDBClient; eventBridge?: EventBridgeClient };
}

const OPTIONS = {
  url: { type: 'string' }, 'data-dir': { type: 'string' }, stack: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' },
  app: { type: 'string' }, state: { type: 'string' }, team: { type: 'string' }, owner: { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' },
} as const;
const COMMANDS = ['status', 'links', 'deactivate', 'reactivate'] as const;
type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // parseArgs says which option and why ("Unknown option '--x'", "Option '--state <value>' argument missing").
    throw new UsageError((error instanceof Error ? error.message : String(error)).replace(/\. To specify a positional.*$/s, ''));
  }
}

/** `lifeline <argv>`; resolves to the exit status (0 done, 1 failed or nothing matched, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lifeline: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    // Refusals the user can act on (OperatorAccessError, StackOutputsError) say what to do; the SDK's
    // and the server's errors carry their own message. No stack trace either way.
    io.err(`lifeline: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.version) {
    io.out(packageVersion());
    return 0;
  }
  const [command, team, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command '${command}'`);
  const takesTeam = command === 'deactivate' || command === 'reactivate';
  if (extra.length > 0 || (!takesTeam && team !== undefined)) throw new UsageError(`unexpected argument '${takesTeam ? extra[0] : team}'`);
  if (values.state !== undefined && !LINK_STATES.includes(values.state as LinkStateName)) throw new UsageError(`--state must be one of ${LINK_STATES.join(', ')}`);
  if (command !== 'links') for (const filter of ['state', 'team', 'owner'] as const) if (values[filter] !== undefined) throw new UsageError(`--${filter} filters \`links\` only`);
  if ([values.stack, values.table, values.url].filter((v) => v !== undefined).length > 1) throw new UsageError('--stack, --table and --url each name where to look: give one');

  const backend = await backendFor(values, io);
  const print = (human: string, data: unknown) => io.out(values.json ? JSON.stringify(data, null, 2) : human);
  switch (command) {
    case 'status': {
      const [counts, workers] = await Promise.all([backend.counts(), backend.workers()]);
      const rows = workers.length > 0 ? await backend.links() : [];
      // A worker's share from the links' owners (what the store says now), not its last heartbeat's count.
      const owned = new Map<string, number>();
      for (const row of rows) if (row.owner) owned.set(row.owner, (owned.get(row.owner) ?? 0) + 1);
      const held = workers.map((w) => ({ ...w, linkCount: owned.get(w.workerId) ?? 0 }));
      print(statusText(backend.describe, counts, held, io.now()), { links: counts, workers: held });
      return 0;
    }
    case 'links': {
      const rows = (await backend.links()).filter(linkFilter(values)).sort((a, b) => a.id.localeCompare(b.id));
      print(`${backend.describe}\n\n${linksText(rows, io.now())}`, rows);
      return 0;
    }
    default: {
      if ((team === undefined) === (values.app === undefined)) throw new UsageError(`${command} needs a team id, or --app <app id> for every link of an app (not both)`);
      const target: OperatorTarget = values.app !== undefined ? { kind: 'app', id: values.app } : { kind: 'team', id: team as string };
      const result = await backend.setActive(target, command === 'reactivate');
      if (result.links.length === 0) {
        io.err(`lifeline: no links of ${target.kind} ${target.id}${result.appIdGivenAsTeam ? ` (${target.id} is an app: \`lifeline ${command} --app ${target.id}\` acts on every link of the app)` : ''}`);
        return 1;
      }
      const moved = result.links.map((l) => `${l.id}: ${l.from} → ${l.to}${l.changed ? '' : ' (unchanged)'}`);
      print([...moved, ...noticeLines(result.notices)].join('\n'), result);
      return 0;
    }
  }
}

/** What the bot was told about the action; a notice the bot did not get is said plainly (the action itself stands). */
function noticeLines(notices: OperatorNoticeOutcome[] | undefined): string[] {
  return (notices ?? []).map((n) => {
    const about = `${n.kind} for ${n.installId ? `team ${n.installId}` : `app ${n.appId}`}`;
    return n.told ? `bot told: ${about}` : `bot NOT told: ${about} (no event bus to tell it on: --stack, or LIFELINE_EVENT_BUS_NAME; or the bus refused it)`;
  });
}

const linkFilter = (values: Values) => (row: LinkRow): boolean =>
  (values.state === undefined || row.state === values.state) &&
  (values.team === undefined || row.teamId === values.team) &&
  (values.app === undefined || row.appId === values.app) &&
  (values.owner === undefined || row.owner === values.owner);

async function backendFor(values: Values, io: CliIo): Promise<Backend> {
  const { env } = io;
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const aws = { ...(io.clients?.dynamodb ? { dynamodb: io.clients.dynamodb } : {}), ...(io.clients?.eventBridge ? { eventBridge: io.clients.eventBridge } : {}) };
  if (values.stack !== undefined) return awsBackend(await readStackTarget(values.stack, region), aws);
  const table = values.table ?? (values.url ? undefined : env.LIFELINE_TABLE_NAME);
  if (table) {
    return awsBackend({
      tableName: table,
      region,
      ...(env.LIFELINE_CONNECT_QUEUE_URL ? { queueUrl: env.LIFELINE_CONNECT_QUEUE_URL } : {}),
      ...(env.LIFELINE_RESTART_STATE_MACHINE_ARN ? { restartStateMachineArn: env.LIFELINE_RESTART_STATE_MACHINE_ARN } : {}),
      ...(env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN ? { reactivationStateMachineArn: env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN } : {}),
      ...(env.LIFELINE_EVENT_BUS_NAME ? { eventBusName: env.LIFELINE_EVENT_BUS_NAME } : {}),
    }, aws);
  }
  return httpBackend(values.url ?? `http://localhost:${env.PORT ?? DEFAULT_PORT}`, {
    path: join(resolve(io.cwd, values['data-dir'] ?? env.LIFELINE_DATA_DIR ?? DEFAULT_DATA_DIR), OPERATOR_TOKEN_FILE),
  });
}

/** package.json's version: the one `npm` installed. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
