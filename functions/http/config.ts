import { ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl, type LogLevel } from '../../shared/config';
import { LINK_PROTOCOLS } from '../../shared/domain';
import type { SlackAppConfig } from './deps';

/** What the OAuth/Events Lambda (or the embedded server) is configured with. */
export interface HttpConfig {
  app: SlackAppConfig;
  tableName: string;
  region: string;
  dynamodbEndpoint?: string;
  slackApiUrl: string;
  /** AWS: the KMS key sealing tokens. */
  kmsKeyId: string;
  /** AWS: the workers' connect queue. */
  connectQueueUrl: string;
  /** AWS: the workflows that connect (after a first install) and reactivate (after a reinstall). */
  restartStateMachineArn: string;
  reactivationStateMachineArn: string;
  logLevel: LogLevel;
}

const list = (raw: string | undefined): string[] => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Reads the environment once, naming every missing key in one error. */
export function readHttpConfig(env: Record<string, string | undefined>): HttpConfig {
  const read = new EnvReader(env);
  const stateSecret = read.required(ENV.stateSecret);
  if (stateSecret && stateSecret.length < 32) read.problems.push(`${ENV.stateSecret.name} must be at least 32 characters`);
  const protocol = read.oneOf(ENV.appProtocol, LINK_PROTOCOLS);
  // A classic RTM app asks for the one classic scope; a Socket Mode app must say what it needs.
  const scopes = list(protocol === 'rtm' ? (read.optional(ENV.scopes) ?? 'bot') : read.required(ENV.scopes));
  const config: HttpConfig = {
    app: {
      appId: read.required(ENV.slackAppId),
      protocol,
      clientId: read.required(ENV.slackClientId),
      clientSecret: read.required(ENV.slackClientSecret),
      signingSecret: read.required(ENV.slackSigningSecret),
      scopes,
      userScopes: list(read.optional(ENV.userScopes)),
      authorizeUrl: read.withDefault(ENV.authorizeUrl),
      redirectUri: read.required(ENV.redirectUri),
      stateSecret,
    },
    tableName: read.required(ENV.tableName),
    region: readRegion(read),
    slackApiUrl: readSlackApiUrl(read),
    kmsKeyId: read.required(ENV.keyId),
    connectQueueUrl: read.required(ENV.connectQueueUrl),
    restartStateMachineArn: read.required(ENV.restartStateMachineArn),
    reactivationStateMachineArn: read.required(ENV.reactivationStateMachineArn),
    logLevel: readLogLevel(read),
  };
  const endpoint = read.optional(ENV.dynamodbEndpoint);
  if (endpoint) config.dynamodbEndpoint = endpoint;
  for (const key of [ENV.authorizeUrl, ENV.redirectUri]) {
    const value = read.optional(key);
    if (value && !URL.canParse(value)) read.problems.push(`${key.name} must be an absolute URL`);
  }
  read.done();
  return config;
}
