import { existsSync, readFileSync } from 'node:fs';

/**
 * Parses a `.env` file: `KEY=VALUE` lines, `#` comments, optional `export `, values optionally
 * in single or double quotes. No interpolation and no multi-line values: secrets belong in the
 * real environment or a secrets manager once they outgrow that.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    let value = rest.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[key] = value;
  }
  return out;
}

/** The process environment over the `.env` file: a variable set in the shell always wins. */
export function withDotEnv(env: Record<string, string | undefined>, path: string): Record<string, string | undefined> {
  if (!existsSync(path)) return { ...env };
  return { ...parseDotEnv(readFileSync(path, 'utf8')), ...env };
}
