import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecretSource } from '../../shared/adapters/secrets';
import type { EnvReader } from '../../shared/config';
import type { Logger, SecretFields, SecretFieldSpec, SecretSource } from '../../shared/ports';
import { isCompleteSecretArn, type SlackAppSecretField } from '../../shared/schema';

/**
 * How long a Lambda uses the Slack app secret it read before asking Secrets Manager again: a
 * rotated secret reaches every warm Lambda within a minute, inside Slack's retry schedule for
 * a refused event (again after about 1 and 5 minutes), at one call per warm container a minute.
 */
export const SLACK_SECRET_MAX_AGE_MS = 60_000;

/** The fields a process reads, each checked as its consumer would (naming the key, never the value). */
export function slackAppSecretSpec(fields: readonly SlackAppSecretField[]): SecretFieldSpec {
  return {
    required: fields,
    rules: {
      stateSecret: (value) => (value.length < 32 ? 'must be at least 32 characters' : undefined),
      appToken: (value) => (value.startsWith('xapp-') ? undefined : 'must be an app-level token (xapp-...)'),
    },
  };
}

/** Reads the secret's ARN from the environment (a Lambda gets the ARN, never a value). */
export function readSlackSecretArn(read: EnvReader): string {
  const arn = read.required('LIFELINE_SLACK_SECRET_ARN', 'the complete ARN of the Slack app secret in Secrets Manager');
  if (arn && !isCompleteSecretArn(arn)) read.problems.push('LIFELINE_SLACK_SECRET_ARN must be the complete ARN of a Secrets Manager secret (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf)');
  return arn;
}

/** The Slack app secret on AWS: Secrets Manager by ARN, cached; a failed refresh is logged and the held value kept. */
export function slackAppSecretSource(options: { region: string; secretArn: string; fields: readonly SlackAppSecretField[]; log: Logger }): SecretSource {
  return new SecretsManagerSecretSource({
    client: new SecretsManagerClient({ region: options.region }),
    secretId: options.secretArn,
    fields: slackAppSecretSpec(options.fields),
    maxAgeMs: SLACK_SECRET_MAX_AGE_MS,
    onRefreshFailed: (error) => options.log.warn('slack app secret: refresh failed, still using the value read before', { code: error.code, error: error.message }),
  });
}

/**
 * What depends on a secret (a handler holding the app's credentials), built from its current
 * fields and rebuilt only when they change: after a rotation the next invocation uses the new
 * ones, and in between each invocation costs a cache lookup.
 */
export function rebuiltOnRotation<T>(source: SecretSource, build: (fields: SecretFields) => T): () => Promise<T> {
  let built: { fields: SecretFields; value: T } | undefined;
  return async () => {
    const fields = await source.read();
    if (built?.fields !== fields) built = { fields, value: build(fields) };
    return built.value;
  };
}
