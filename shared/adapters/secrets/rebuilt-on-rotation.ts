import type { SecretFields, SecretSource } from '../../ports';

/**
 * What depends on a secret (ports holding an app's credentials), built from its current fields
 * and rebuilt only when they change: after a rotation the next call uses the new ones, and in
 * between each call costs the source's cache lookup. Relies on `SecretSource.read()` answering
 * the same object while the fields are unchanged.
 */
export function rebuiltOnRotation<T>(source: SecretSource, build: (fields: SecretFields) => T): () => Promise<T> {
  let built: { fields: SecretFields; value: T } | undefined;
  return async () => {
    const fields = await source.read();
    if (built?.fields !== fields) built = { fields, value: build(fields) };
    return built.value;
  };
}
