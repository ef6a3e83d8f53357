import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbInstallationStore } from '../../shared/adapters/dynamodb';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { createJsonLogger } from '../../shared/adapters/log';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { InstallationBotAuthorizer, InstallationCredentials } from '../../shared/app';
import { ENV, EnvReader, readLogLevel, readRegion, readSlackApiUrl } from '../../shared/config';
import { BotAuthorizationError, type InstallationStore, type Logger, type SlackApi, type SlackOAuthApi, type TokenCipher } from '../../shared/ports';
import type { LifelineRuntime, PayloadHandler } from './runtime';

/** What the bot's Lambda needs to authorize: the table, the token key, the app, Slack's Web API base. */
export interface BotLambdaConfig {
  region: string;
  tableName: string;
  kmsKeyId: string;
  appId: string;
  slackApiUrl: string;
  dynamodbEndpoint?: string;
}

/**
 * The bot Lambda's environment, read once, every problem named at once. The deployer sets these
 * on the bot's function (README, "Run your Bolt app on Lifeline", AWS): the stateful stack's
 * `TableName` and `TokenKeyArn` outputs, and the app id.
 */
export function readBotLambdaConfig(env: Record<string, string | undefined>): BotLambdaConfig & { logLevel: ReturnType<typeof readLogLevel> } {
  const read = new EnvReader(env);
  const why = (what: string) => `the bot's Lambda reads ${what} to authorize payloads (set it on the function)`;
  const config = {
    region: readRegion(read),
    tableName: read.required(ENV.tableName, why("Lifeline's installations table (the stateful stack's TableName output)")),
    kmsKeyId: read.required(ENV.keyId, why("the token key's ARN (the stateful stack's TokenKeyArn output)")),
    appId: read.required(ENV.slackAppId, why('the Slack app id whose installations it serves')),
    slackApiUrl: readSlackApiUrl(read),
    logLevel: readLogLevel(read),
  };
  const endpoint = read.optional(ENV.dynamodbEndpoint);
  read.done();
  return endpoint ? { ...config, dynamodbEndpoint: endpoint } : config;
}

export interface AwsBotRuntimeDeps {
  installations: InstallationStore;
  cipher: TokenCipher;
  slack: Pick<SlackApi, 'authTest'> & SlackOAuthApi;
  appId: string;
  slackApiUrl: string;
  clock: { now(): number };
  log: Logger;
}

/**
 * The runtime of a bot running in its own Lambda (the receiver's `toLambdaHandler()`): payloads
 * come in as invocations, and `authorize` reads the installation and opens its bot token with the
 * token key, as the worker does, but read-only. The bot's role may read installations and decrypt
 * bot tokens, nothing more: it never renews a rotating token (that takes the app's client secret
 * and a write; the worker does it, two hours before expiry) and it cannot park an installation.
 */
export function awsBotRuntime(deps: AwsBotRuntimeDeps): LifelineRuntime {
  const credentials = new InstallationCredentials({
    installations: deps.installations,
    cipher: deps.cipher,
    slack: deps.slack,
    // No client credentials: a due token is never refreshed here, only opened. A zero window
    // leaves a token alone until it has expired (Slack then answers `token_expired`).
    apps: new Map(),
    clock: deps.clock,
    log: deps.log,
    refreshWindowMs: 0,
  });
  const authorizer = new InstallationBotAuthorizer({ installations: deps.installations, credentials, slack: deps.slack, appIds: [deps.appId] });
  let handler: PayloadHandler | undefined;
  return {
    slackApiUrl: deps.slackApiUrl,
    authorize: (query) => authorizer.authorize(query),
    fetchInstallation: (query) => authorizer.fetchInstallation(query),
    deleteInstallation: async () => {
      throw new BotAuthorizationError(
        "deleting an installation is not offered in the bot's Lambda: its role only reads installations. Uninstalling the app parks the team (app_uninstalled); an operator can park it with the lifeline CLI",
      );
    },
    serve: (next) => {
      handler = next;
      return () => {
        if (handler === next) handler = undefined;
      };
    },
  };
}

/** The AWS runtime from the Lambda's configuration: DynamoDB for installations, KMS for tokens. */
export function awsBotRuntimeFrom(config: BotLambdaConfig & { logLevel?: ReturnType<typeof readLogLevel> }): LifelineRuntime {
  const client = new DynamoDBClient({ region: config.region, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}) });
  return awsBotRuntime({
    installations: new DynamoDbInstallationStore({ client, tableName: config.tableName }),
    cipher: new KmsEnvelopeCipher({ client: new KMSClient({ region: config.region }), keyId: config.kmsKeyId }),
    slack: new HttpSlackApi({ apiUrl: config.slackApiUrl }),
    appId: config.appId,
    slackApiUrl: config.slackApiUrl,
    clock: Date,
    log: createJsonLogger({ level: config.logLevel ?? 'info', fields: { component: 'lifeline-bolt' } }),
  });
}
