// `npx lifeline status | links [--state S] | deactivate <team> | deactivate --app <app> | reactivate ...`.
// Against the running `npm start` (http://localhost:$PORT with the token in $LIFELINE_DATA_DIR,
// both read like `npm start` reads them: the shell over `.env`, defaults 3000 and `.lifeline`),
// or against a deployed stack when a table is named (--table / LIFELINE_TABLE_NAME, --region).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, OPERATOR_TOKEN_FILE, type OperatorTarget } from '../../shared/app';
import { withDotEnv } from '../../shared/config';
import { awsBackend } from './aws-backend';
import type { Backend } from './backend';
import { httpBackend, OperatorAccessError } from './http-backend';

const USAGE = `usage: lifeline <command> [options]
  status                       links per state, and workers
  links [--state <state>]      every link: state, attempt, last error, owner
  deactivate <team>            park a workspace's links (DISABLED, reason operator)
  deactivate --app <app>       park every link of an app (all its Socket Mode slots): the bot goes deaf everywhere
  reactivate <team> | --app <app>   bring parked links back (REGISTERED)
options: --url <http://localhost:3000>   a running npm start (default; PORT is honoured)
         --data-dir <dir>                where that npm start keeps its operator token (default LIFELINE_DATA_DIR or .lifeline)
         --table <name> --region <r>     a deployed stack's table instead
         --json                          machine-readable output`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' }, 'data-dir': { type: 'string' }, app: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' },
      state: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, team] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const cwd = process.cwd();
  const { env } = withDotEnv(process.env, join(cwd, '.env'));
  const table = values.table ?? (values.url ? undefined : env.LIFELINE_TABLE_NAME);
  const backend: Backend = table
    ? awsBackend({
        tableName: table,
        region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(env.LIFELINE_CONNECT_QUEUE_URL ? { queueUrl: env.LIFELINE_CONNECT_QUEUE_URL } : {}),
        ...(env.LIFELINE_RESTART_STATE_MACHINE_ARN ? { restartStateMachineArn: env.LIFELINE_RESTART_STATE_MACHINE_ARN } : {}),
        ...(env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN ? { reactivationStateMachineArn: env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN } : {}),
      })
    : httpBackend(values.url ?? `http://localhost:${env.PORT ?? DEFAULT_PORT}`, {
        path: join(resolve(cwd, values['data-dir'] ?? env.LIFELINE_DATA_DIR ?? DEFAULT_DATA_DIR), OPERATOR_TOKEN_FILE),
      });
  const print = (human: string, data: unknown) => console.log(values.json ? JSON.stringify(data, null, 2) : human);
  switch (command) {
    case 'status': {
      const [counts, workers] = await Promise.all([backend.counts(), backend.workers()]);
      const line = Object.entries(counts).map(([state, n]) => `${state} ${n}`).join('  ');
      print(`${backend.describe}\n  links:   ${line}\n  workers: ${workers.length === 0 ? '(see the worker service)' : workers.map((w) => JSON.stringify(w)).join('\n           ')}`, { links: counts, workers });
      return 0;
    }
    case 'links': {
      const rows = (await backend.links()).filter((row) => !values.state || row.state === values.state).sort((a, b) => a.id.localeCompare(b.id));
      const now = Date.now();
      print(rows.map((r) => [r.state.padEnd(10), r.id.padEnd(28), `attempt ${r.attempt}`.padEnd(11), `${Math.round((now - r.stateSince) / 1000)} s`.padEnd(8), r.owner ?? '-', r.lastError ?? ''].join(' ')).join('\n') || '(no links)', rows);
      return 0;
    }
    case 'deactivate':
    case 'reactivate': {
      if ((team === undefined) === (values.app === undefined)) {
        console.error(`${command} needs a team id, or --app <app id> for every link of an app (not both)\n${USAGE}`);
        return 2;
      }
      const target: OperatorTarget = values.app !== undefined ? { kind: 'app', id: values.app } : { kind: 'team', id: team as string };
      const result = await backend.setActive(target, command === 'reactivate');
      if (result.links.length === 0) {
        console.error(`no links of ${target.kind} ${target.id}${result.appIdGivenAsTeam ? ` (${target.id} is an app: \`lifeline ${command} --app ${target.id}\` acts on every link of the app)` : ''}`);
        return 1;
      }
      print(result.links.map((l) => `${l.id}: ${l.from} → ${l.to}${l.changed ? '' : ' (unchanged)'}`).join('\n'), result);
      return 0;
    }
    default:
      console.error(`unknown command ${command}\n${USAGE}`);
      return 2;
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error instanceof OperatorAccessError ? `lifeline: ${error.message}` : error instanceof Error ? error.message : error);
  process.exit(1);
});
