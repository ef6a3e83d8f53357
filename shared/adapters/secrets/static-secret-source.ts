import type { SecretFields, SecretFieldSpec, SecretSource } from '../../ports';
import { pickSecretFields, sameSecretFields } from './secret-fields';

/**
 * The embedded twin: a secret held in memory (from a local `.env`, or a test), checked against
 * the same spec with the same errors as Secrets Manager's. `replace()` plays a rotation: the
 * next read answers the new fields, and a new object only if a field changed.
 */
export class StaticSecretSource implements SecretSource {
  private current: SecretFields | undefined;

  constructor(
    private readonly secretId: string,
    private value: unknown,
    private readonly spec: SecretFieldSpec,
  ) {}

  read(): Promise<SecretFields> {
    try {
      const fresh = pickSecretFields(this.secretId, this.value, this.spec);
      if (!this.current || !sameSecretFields(this.current, fresh)) this.current = fresh;
      return Promise.resolve(this.current);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  replace(value: unknown): void {
    this.value = value;
  }
}
