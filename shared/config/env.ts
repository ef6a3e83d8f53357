/**
 * Reading configuration from the environment, at the edges only. Every problem is collected so
 * one failed start names every missing or malformed key at once.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = new.target.name;
  }
}

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  required(key: string, why: string): string {
    const value = this.env[key]?.trim();
    if (!value) {
      this.problems.push(`${key} is required: ${why}`);
      return '';
    }
    return value;
  }

  optional(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value ? value : undefined;
  }

  /** A positive integer, or undefined when unset. */
  int(key: string, options: { min?: number } = {}): number | undefined {
    const raw = this.optional(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (options.min ?? 1)) {
      this.problems.push(`${key} must be an integer ≥ ${options.min ?? 1}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(key);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw as T;
  }

  /** Throws a ConfigError naming every problem found so far. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Drops undefined fields, so `{ ...defaults, ...compact(overrides) }` keeps the defaults. */
export function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
