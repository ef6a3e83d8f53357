// `npx lifeline ...` (bin/lifeline.js runs this through tsx). Against the running `npm start`
// (http://localhost:$PORT with the token in $LIFELINE_DATA_DIR, both read like `npm start` reads
// them: the shell over `.env`, defaults 3000 and `.lifeline`), or against a deployed stack
// (--stack <orchestrator stack>, or --table). Everything else is in run.ts; this is the edge.
import { join } from 'node:path';
import { withDotEnv } from '../../shared/config';
import { runCli } from './run';

const { env } = withDotEnv(process.env, join(process.cwd(), '.env'));
runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env,
  cwd: process.cwd(),
  now: Date.now,
}).then((code) => {
  process.exitCode = code;
});
