import type { EnvKey } from './env-keys';

/** A key by name, or an entry of the `ENV` table (which brings its meaning and default). */
type Key = string | EnvKey;
const nameOf = (key: Key): string => (typeof key === 'string' ? key : key.name);

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

  /** Required: a problem naming the key and why it is needed (by default, its meaning in `ENV`). */
  required(key: Key, why?: string): string {
    const value = this.optional(key);
    if (!value) {
      this.problems.push(`${nameOf(key)} is required: ${why ?? (typeof key === 'string' ? 'no default' : key.meaning)}`);
      return '';
    }
    return value;
  }

  optional(key: Key): string | undefined {
    const value = this.env[nameOf(key)]?.trim();
    return value ? value : undefined;
  }

  /** The value, or the table's default when unset. */
  withDefault(key: EnvKey & { default: string }): string {
    return this.optional(key) ?? key.default;
  }

  /** A positive integer, or undefined when unset. */
  int(key: Key, options: { min?: number } = {}): number | undefined {
    const raw = this.optional(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (options.min ?? 1)) {
      this.problems.push(`${nameOf(key)} must be an integer ≥ ${options.min ?? 1}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return value;
  }

  /** One of `allowed`; unset, `fallback`, or else the table's default. */
  oneOf<T extends string>(key: Key, allowed: readonly T[], fallback?: T): T {
    const fallbackValue = fallback ?? (typeof key === 'string' ? undefined : key.default);
    if (fallbackValue === undefined || !(allowed as readonly string[]).includes(fallbackValue)) {
      throw new TypeError(`${nameOf(key)}: the default ${JSON.stringify(fallbackValue)} is not one of ${allowed.join(', ')}`);
    }
    const raw = this.optional(key);
    if (raw === undefined) return fallbackValue as T;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${nameOf(key)} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallbackValue as T;
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
