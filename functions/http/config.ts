import { ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl, readSlackSecretArn, type LogLevel } from '../../shared/config';
import { LINK_PROTOCOLS } from '../../shared/domain';
import type { SecretFields } from '../../shared/ports';
import type { SlackAppConfig } from './deps';

/** The app's secrets: read from the Slack app secret at run time, never from the environment. */
type SlackAppSecretKeys = 'clientId' | 'clientSecret' | 'signingSecret' | 'stateSecret';

/** The app's non-secret settings, from the environment. */
export type SlackAppSettings = Omit<SlackAppConfig, SlackAppSecretKeys>;

/** What the OAuth/Events Lambda is configured with. */
export interface HttpConfig {
  app: SlackAppSettings;
  /** The Slack app secret (`httpEndpointSecretFields`), by complete ARN. */
  slackSecretArn: string;
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
  /**
   * AWS: the bus the workers put Slack events on; verified HTTP deliveries (a classic app's
   * events, commands, interactions) go there too. Unset: they are only acted on (parking), and
   * commands and interactions are answered 503.
   */
  eventBusName?: string;
  /** AWS: the bot's Lambda; with the bus, commands and interactions are invoked on it and its answer is the response. */
  botFunctionArn?: string;
  logLevel: LogLevel;
}

const list = (raw: string | undefined): string[] => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The app as the handler needs it: its settings with the secret's current fields (checked by the source). */
export const slackAppConfig = (settings: SlackAppSettings, fields: SecretFields): SlackAppConfig => ({
  ...settings,
  clientId: fields.clientId ?? '',
  clientSecret: fields.clientSecret ?? '',
  signingSecret: fields.signingSecret ?? '',
  stateSecret: fields.stateSecret ?? '',
});

/** Reads the environment once, naming every missing key in one error. */
export function readHttpConfig(env: Record<string, string | undefined>): HttpConfig {
  const read = new EnvReader(env);
  const protocol = read.oneOf(ENV.appProtocol, LINK_PROTOCOLS);
  // A classic RTM app asks for the one classic scope; a Socket Mode app must say what it needs.
  const scopes = list(protocol === 'rtm' ? (read.optional(ENV.scopes) ?? 'bot') : read.required(ENV.scopes));
  const config: HttpConfig = {
    app: {
      appId: read.required(ENV.slackAppId),
      protocol,
      scopes,
      userScopes: list(read.optional(ENV.userScopes)),
      authorizeUrl: read.withDefault(ENV.authorizeUrl),
      redirectUri: read.required(ENV.redirectUri),
    },
    slackSecretArn: readSlackSecretArn(read),
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
  const eventBusName = read.optional(ENV.eventBusName);
  if (eventBusName) config.eventBusName = eventBusName;
  const botFunctionArn = read.optional(ENV.botFunctionArn);
  if (botFunctionArn) config.botFunctionArn = botFunctionArn;
  for (const key of [ENV.authorizeUrl, ENV.redirectUri]) {
    const value = read.optional(key);
    if (value && !URL.canParse(value)) read.problems.push(`${key.name} must be an absolute URL`);
  }
  read.done();
  return config;
}
