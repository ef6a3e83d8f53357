import { LINK_PROTOCOLS, type LinkProtocol } from '../domain';
import type { SecretFields, SecretFieldSpec } from '../ports';
import { isCompleteSecretArn, type SlackAppSecretField } from '../schema';
import type { EnvReader } from './env';
import { ENV } from './env-keys';

/**
 * The Slack app a deployment serves, as the processes that open installations' tokens need it:
 * the worker (to connect) and the workflow tasks (to verify a reinstall). The client credentials
 * renew rotating tokens; the app-level token is what every Socket Mode slot connects with.
 */
export interface SlackAppSecretsConfig extends SlackAppIdentity {
  clientId: string;
  clientSecret: string;
  /** Socket Mode only (`xapp-`). */
  appToken?: string;
}

/** Which app, and how its links connect: non-secret, from the environment everywhere. */
export interface SlackAppIdentity {
  appId: string;
  protocol: LinkProtocol;
}

export function readSlackAppIdentity(read: EnvReader): SlackAppIdentity {
  return {
    appId: read.required(ENV.slackAppId),
    protocol: read.oneOf(ENV.appProtocol, LINK_PROTOCOLS),
  };
}

/**
 * The app's secrets from the Slack app secret's fields (a Lambda reads them from Secrets
 * Manager; `tokenOpenerSecretFields` says which, and the source has checked them).
 */
export function slackAppSecretsFrom(identity: SlackAppIdentity, fields: SecretFields): SlackAppSecretsConfig {
  const config: SlackAppSecretsConfig = { ...identity, clientId: fields.clientId ?? '', clientSecret: fields.clientSecret ?? '' };
  if (fields.appToken) config.appToken = fields.appToken;
  return config;
}

/**
 * The worker's: ECS injects the secret's fields as variables at task start.
 * Reads the app's identity and secrets into `read`'s problem list, so a caller's one ConfigError
 * names every missing key. Problems name keys only, never values: these are secrets.
 */
export function readSlackAppSecrets(read: EnvReader): SlackAppSecretsConfig {
  const identity = readSlackAppIdentity(read);
  const { protocol } = identity;
  const config: SlackAppSecretsConfig = {
    ...identity,
    clientId: read.required(ENV.slackClientId),
    clientSecret: read.required(ENV.slackClientSecret),
  };
  // Required only where Socket Mode is the deployment's protocol; used wherever it is given.
  const appToken = protocol === 'socket' ? read.required(ENV.slackAppToken) : read.optional(ENV.slackAppToken);
  if (appToken && !appToken.startsWith('xapp-')) read.problems.push(`${ENV.slackAppToken.name} must be an app-level token (xapp-...)`);
  if (appToken) config.appToken = appToken;
  return config;
}

/**
 * How long a Lambda uses the Slack app secret it read before asking Secrets Manager again: a
 * rotated secret reaches every warm Lambda within a minute, inside Slack's retry schedule for
 * a refused event (again after about 1 and 5 minutes), at one call per warm container a minute.
 */
export const SLACK_SECRET_MAX_AGE_MS = 60_000;

/** The fields a process reads of the Slack app secret, each checked as its consumer would (naming the key, never the value). */
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
  const arn = read.required(ENV.slackSecretArn);
  if (arn && !isCompleteSecretArn(arn)) read.problems.push(`${ENV.slackSecretArn.name} must be the complete ARN of a Secrets Manager secret (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf)`);
  return arn;
}
