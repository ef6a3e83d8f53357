import type { Logger } from '../../shared/ports';

export interface LogTally {
  count: number;
  /** Milliseconds after the logger was made. */
  firstAtMs: number;
  firstFields?: string;
}

/**
 * The worker's warnings and errors, counted by message, so the bench can say what the worker
 * complained about (a self-fence, failed renewals) without printing thousands of lines.
 */
export class TallyLogger implements Logger {
  readonly tallies = new Map<string, LogTally>();
  private readonly born = Date.now();

  debug(): void {}

  info(): void {}

  warn(message: string, fields?: Record<string, unknown>): void {
    this.note(`warn: ${message}`, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.note(`error: ${message}`, fields);
  }

  child(): Logger {
    return this;
  }

  summary(): Record<string, LogTally> {
    return Object.fromEntries(this.tallies);
  }

  private note(key: string, fields?: Record<string, unknown>): void {
    const tally = this.tallies.get(key);
    if (tally) {
      tally.count += 1;
      return;
    }
    this.tallies.set(key, { count: 1, firstAtMs: Date.now() - this.born, ...(fields ? { firstFields: describe(fields) } : {}) });
  }
}

function describe(fields: Record<string, unknown>): string {
  const text = JSON.stringify(fields, (_key, value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : value));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
