/**
 * Structured logs. Adapters redact anything that looks like a Slack token or secret, so a
 * careless field can never leak one; callers still never pass tokens.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
