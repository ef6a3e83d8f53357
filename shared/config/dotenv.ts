import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';

export interface DotEnv {
  /** The process environment over the file: a variable set in the shell always wins. */
  env: Record<string, string | undefined>;
  /** Set when the file is readable by group or others (it holds Slack secrets): what to run. */
  warning?: string;
}

/**
 * Reads `.env` with Node's own parser (quotes, `#` comments, `export`, multi-line double-quoted
 * values), so `KEY="a,b" # note` gives `a,b` as every dotenv tool reads it. `npm start` and the
 * CLI read the same file the same way.
 */
export function withDotEnv(env: Record<string, string | undefined>, path: string): DotEnv {
  if (!existsSync(path)) return { env: { ...env } };
  const mode = statSync(path).mode & 0o777;
  const fromFile = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  const result: DotEnv = { env: { ...fromFile, ...env } };
  if ((mode & 0o077) !== 0) {
    result.warning = `${path} is readable by ${mode & 0o007 ? 'every user' : 'its group'} (mode 0${mode.toString(8)}) and may hold Slack secrets. Fix: chmod 600 ${path}`;
  }
  return result;
}
