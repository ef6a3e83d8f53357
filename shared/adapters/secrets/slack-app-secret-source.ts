import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SLACK_SECRET_MAX_AGE_MS, slackAppSecretSpec } from '../../config';
import type { Logger, SecretSource } from '../../ports';
import type { SlackAppSecretField } from '../../schema';
import { SecretsManagerSecretSource } from './secrets-manager-secret-source';

/** The Slack app secret on AWS: Secrets Manager by ARN, cached a minute; a failed refresh is logged and the held value kept. */
export function slackAppSecretSource(options: { region: string; secretArn: string; fields: readonly SlackAppSecretField[]; log: Logger }): SecretSource {
  return new SecretsManagerSecretSource({
    client: new SecretsManagerClient({ region: options.region }),
    secretId: options.secretArn,
    fields: slackAppSecretSpec(options.fields),
    maxAgeMs: SLACK_SECRET_MAX_AGE_MS,
    onRefreshFailed: (error) => options.log.warn('slack app secret: refresh failed, still using the value read before', { code: error.code, error: error.message }),
  });
}
