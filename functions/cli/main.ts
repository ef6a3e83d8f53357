// `npx lifeline status | links [--state S] | deactivate <team|app> | reactivate <team|app>`.
// Against the running `npm start` (http://localhost:$PORT, or --url), or against a deployed
// stack when a table is named (--table / LIFELINE_TABLE_NAME, --region / AWS_REGION).
import { parseArgs } from 'node:util';
import { awsBackend, httpBackend, type Backend } from './backends';

const USAGE = `usage: lifeline <command> [options]
  status                     links per state, and workers
  links [--state <state>]    every link: state, attempt, last error, owner
  deactivate <team|app>      park the links (DISABLED, reason operator)
  reactivate <team|app>      bring parked links back (REGISTERED)
options: --url <http://localhost:3000>   a running npm start (default; PORT is honoured)
         --table <name> --region <r>     a deployed stack's table instead
         --json                          machine-readable output`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const env = process.env;
  const table = values.table ?? (values.url ? undefined : env.LIFELINE_TABLE_NAME);
  const backend: Backend = table
    ? awsBackend({
        tableName: table,
        region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(env.LIFELINE_CONNECT_QUEUE_URL ? { queueUrl: env.LIFELINE_CONNECT_QUEUE_URL } : {}),
        ...(env.LIFELINE_RESTART_STATE_MACHINE_ARN ? { restartStateMachineArn: env.LIFELINE_RESTART_STATE_MACHINE_ARN } : {}),
        ...(env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN ? { reactivationStateMachineArn: env.LIFELINE_REACTIVATION_STATE_MACHINE_ARN } : {}),
      })
    : httpBackend(values.url ?? `http://localhost:${env.PORT ?? 3000}`);
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
      if (!target) {
        console.error(`${command} needs a team id (or an app id)\n${USAGE}`);
        return 2;
      }
      const result = await backend.setActive(target, command === 'reactivate');
      if (result.links.length === 0) {
        console.error(`no links of ${target}`);
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
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
