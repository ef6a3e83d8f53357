/** A secret's named string fields (in Secrets Manager: one JSON object). Values are never logged. */
export type SecretFields = Readonly<Record<string, string>>;

/**
 * Which fields a reader needs. A field missing, empty or not a string is a problem named by its
 * key; `rules` may add a problem per field (it returns a message about the value, never the value).
 */
export interface SecretFieldSpec {
  required: readonly string[];
  optional?: readonly string[];
  rules?: Readonly<Record<string, (value: string) => string | undefined>>;
}

/**
 * Where a process reads a secret at run time. AWS: Secrets Manager by ARN, cached for a short
 * time so that a rotated secret is picked up without a redeploy. Embedded and tests: a value in
 * memory. `read()` answers only the fields of its spec, and the same object for as long as those
 * fields are unchanged, so a caller may rebuild what depends on them only when they change.
 */
export interface SecretSource {
  /** Throws `SecretUnavailableError` or `SecretMalformedError`; neither message holds a value. */
  read(): Promise<SecretFields>;
}

export type SecretSourceErrorCode = 'SECRET_UNAVAILABLE' | 'SECRET_MALFORMED';

export abstract class SecretSourceError extends Error {
  abstract readonly code: SecretSourceErrorCode;

  constructor(
    /** The secret's ARN or name: an identifier, not a value. */
    readonly secretId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The secret could not be fetched (not found, access denied, throttled, no network). */
export class SecretUnavailableError extends SecretSourceError {
  readonly code = 'SECRET_UNAVAILABLE';
}

/** The secret was fetched but is not what its readers need: every problem names a field key. */
export class SecretMalformedError extends SecretSourceError {
  readonly code = 'SECRET_MALFORMED';

  constructor(
    secretId: string,
    readonly problems: readonly string[],
  ) {
    super(secretId, `secret ${secretId} is malformed:\n  - ${problems.join('\n  - ')}`);
  }
}

export type AnySecretSourceError = SecretUnavailableError | SecretMalformedError;
