import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretSourceError, SecretUnavailableError, type SecretFields, type SecretFieldSpec, type SecretSource } from '../../ports';
import { parseSecretString, sameSecretFields } from './secret-fields';

export interface SecretsManagerSecretSourceOptions {
  client: Pick<SecretsManagerClient, 'send'>;
  /** The secret's complete ARN (what the construct puts in the environment). */
  secretId: string;
  fields: SecretFieldSpec;
  /** How long a value read is used before Secrets Manager is asked again. Default 60 s. */
  maxAgeMs?: number;
  clock?: { now(): number };
  /**
   * A refresh failed while a value was held: that value is kept for another `maxAgeMs` (a
   * Secrets Manager outage or a bad edit must not take down a warm process), and this is told.
   */
  onRefreshFailed?: (error: SecretSourceError) => void;
}

export const DEFAULT_SECRET_MAX_AGE_MS = 60_000;

/**
 * Reads one secret's JSON fields from Secrets Manager (the `AWSCURRENT` version) and caches them
 * for `maxAgeMs`, so a rotated secret reaches a warm Lambda within that time, without a redeploy.
 * A cold start with no readable secret throws: there is nothing to serve with. Concurrent reads
 * share one call.
 */
export class SecretsManagerSecretSource implements SecretSource {
  private held: { fields: SecretFields; expiresAt: number } | undefined;
  private inFlight: Promise<SecretFields> | undefined;
  private readonly maxAgeMs: number;
  private readonly clock: { now(): number };

  constructor(private readonly options: SecretsManagerSecretSourceOptions) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SECRET_MAX_AGE_MS;
    // Looked up at each call, so a faked global clock (a test of the deployed entry) is seen.
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  read(): Promise<SecretFields> {
    if (this.held && this.clock.now() < this.held.expiresAt) return Promise.resolve(this.held.fields);
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<SecretFields> {
    try {
      const fresh = await this.fetch();
      // Unchanged fields keep their object, so readers rebuild only on a real rotation.
      const fields = this.held && sameSecretFields(this.held.fields, fresh) ? this.held.fields : fresh;
      this.held = { fields, expiresAt: this.clock.now() + this.maxAgeMs };
      return fields;
    } catch (error) {
      if (!this.held || !(error instanceof SecretSourceError)) throw error;
      this.held = { fields: this.held.fields, expiresAt: this.clock.now() + this.maxAgeMs };
      this.options.onRefreshFailed?.(error);
      return this.held.fields;
    }
  }

  private async fetch(): Promise<SecretFields> {
    const { secretId } = this.options;
    let secretString: string | undefined;
    try {
      const out = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      secretString = out.SecretString;
    } catch (error) {
      // The SDK's error names what went wrong (ResourceNotFoundException, AccessDeniedException, ...); it carries no value.
      const name = error instanceof Error ? error.name : 'Error';
      throw new SecretUnavailableError(secretId, `secret ${secretId} could not be read: ${name}`, { cause: error });
    }
    return parseSecretString(secretId, secretString, this.options.fields);
  }
}
