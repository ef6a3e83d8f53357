import { SecretMalformedError, type SecretFields, type SecretFieldSpec } from '../../ports';

/**
 * Turns a secret's stored string into the fields a reader needs, or one `SecretMalformedError`
 * naming every problem by field key. Nothing of the value reaches a message: not even the JSON
 * parser's, which quotes the text around the error.
 */
export function parseSecretString(secretId: string, raw: string | undefined, spec: SecretFieldSpec): SecretFields {
  if (raw === undefined) throw new SecretMalformedError(secretId, ['holds no SecretString: store the fields as one JSON object (binary secrets are not read)']);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new SecretMalformedError(secretId, ['is not JSON: store the fields as one JSON object, e.g. {"field":"value"}']);
  }
  return pickSecretFields(secretId, value, spec);
}

/** The spec's fields of a JSON object, each checked; frozen, and nothing else from the object. */
export function pickSecretFields(secretId: string, value: unknown, spec: SecretFieldSpec): SecretFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SecretMalformedError(secretId, ['is not a JSON object of string fields']);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const fields: Record<string, string> = {};
  const take = (key: string, required: boolean): void => {
    const field = Object.hasOwn(record, key) ? record[key] : undefined;
    if (field === undefined || field === null) {
      if (required) problems.push(`field "${key}" is missing`);
      return;
    }
    if (typeof field !== 'string') return void problems.push(`field "${key}" must be a string`);
    if (field.trim() === '') return void problems.push(`field "${key}" is empty`);
    const problem = spec.rules?.[key]?.(field);
    if (problem) return void problems.push(`field "${key}" ${problem}`);
    fields[key] = field;
  };
  for (const key of spec.required) take(key, true);
  for (const key of spec.optional ?? []) take(key, false);
  if (problems.length > 0) throw new SecretMalformedError(secretId, problems);
  return Object.freeze(fields);
}

/** Same keys, same values: a refresh that changed nothing keeps the object its readers hold. */
export function sameSecretFields(a: SecretFields, b: SecretFields): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
