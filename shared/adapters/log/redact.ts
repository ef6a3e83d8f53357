// Slack tokens (xoxb-, xoxp-, xoxe-, xoxa-, xapp-, rotating xoxe.xoxb-), refresh tokens and
// anything under a secret-sounding key are replaced before a line is written.
const TOKEN = /\b(?:xox[abepr](?:\.xox[bp])?|xapp)-[A-Za-z0-9-]+/g;
const SECRET_KEY = /(token|secret|password|authorization|cookie|signature|code_verifier|refresh)/i;

export const REDACTED = '[redacted]';

export function redactString(value: string): string {
  return value.replace(TOKEN, REDACTED);
}

/** A deep copy with token-like strings and secret-named fields replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== undefined && typeof v !== 'boolean' && typeof v !== 'number' ? REDACTED : redact(v, depth + 1)]),
    );
  }
  return value;
}
