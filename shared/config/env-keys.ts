import type { LinkProtocol } from '../domain';

/** One environment variable: its name, what it means, and its default when unset (none: required or optional). */
export interface EnvKey {
  readonly name: string;
  readonly meaning: string;
  readonly default?: string;
}

/** The app protocol when nothing says otherwise: Slack no longer lets anyone create a classic (RTM) app. */
export const DEFAULT_APP_PROTOCOL: LinkProtocol = 'socket';

/**
 * The environment the processes read, in one table: the deployed entry points
 * (`functions/*\/lambda.ts`, the worker's main) and `npm start` read it once at start through
 * their config readers (`EnvReader` takes these entries, so a name, a default or a meaning is
 * written once); the constructs set it by these names. `test/infra/runtime-env.test.ts` starts
 * each reader on the environment its construct sets. Keys only `npm start` reads (port, data
 * directory, simulator) live with its reader, `functions/embedded/config.ts`.
 */
export const ENV = {
  mode: { name: 'LIFELINE_MODE', meaning: 'how a worker is wired: `aws` (Fargate) or `embedded` (a child of npm start, over IPC)', default: 'aws' },
  workerId: { name: 'LIFELINE_WORKER_ID', meaning: 'this worker\'s id in the registry (default: host, pid and a random suffix)' },
  tableName: { name: 'LIFELINE_TABLE_NAME', meaning: 'the DynamoDB table holding links, installations, workers and events' },
  region: { name: 'AWS_REGION', meaning: 'the AWS region of the table and every other resource', default: 'us-east-1' },
  /** Read when AWS_REGION is unset, as the AWS SDK does. */
  defaultRegion: { name: 'AWS_DEFAULT_REGION', meaning: 'the AWS region, when AWS_REGION is unset' },
  dynamodbEndpoint: { name: 'LIFELINE_DYNAMODB_ENDPOINT', meaning: 'a DynamoDB-compatible endpoint (embedded: the parent\'s dynalite)' },
  logLevel: { name: 'LIFELINE_LOG_LEVEL', meaning: '`debug`, `info`, `warn` or `error`', default: 'info' },
  /** The stateful stack's key: application-level sealing of Slack tokens (`KmsEnvelopeCipher`). */
  keyId: { name: 'LIFELINE_KMS_KEY_ID', meaning: 'the KMS key sealing installations\' tokens' },
  connectQueueUrl: { name: 'LIFELINE_CONNECT_QUEUE_URL', meaning: 'the workers\' connect queue (SQS)' },
  eventBusName: { name: 'LIFELINE_EVENT_BUS_NAME', meaning: 'the EventBridge bus Slack events are put on' },
  /** Set when the stack is given a bot's function (`botFunctionArn`): every payload is invoked on it too. */
  botFunctionArn: { name: 'LIFELINE_BOT_FUNCTION_ARN', meaning: 'the bot\'s Lambda: commands and interactions are invoked on it synchronously (its answer goes into the ack), everything else asynchronously' },
  restartStateMachineArn: { name: 'LIFELINE_RESTART_STATE_MACHINE_ARN', meaning: 'the restart workflow: retries are scheduled on it, its connects answered' },
  reactivationStateMachineArn: { name: 'LIFELINE_REACTIVATION_STATE_MACHINE_ARN', meaning: 'the reactivation workflow, started by a reinstall' },
  // Worker tunables: unset, the worker's own defaults apply (`DEFAULT_WORKER_OPTIONS`, `resolveLiveness`).
  capacity: { name: 'LIFELINE_CAPACITY', meaning: 'links one worker holds at most' },
  leaseMs: { name: 'LIFELINE_LEASE_MS', meaning: 'a worker whose heartbeat stood still this long is dead' },
  heartbeatMs: { name: 'LIFELINE_HEARTBEAT_MS', meaning: 'how often a worker renews its heartbeat' },
  reconcileMs: { name: 'LIFELINE_RECONCILE_MS', meaning: 'how often a worker compares the links it holds with the table' },
  parkWatchMs: { name: 'LIFELINE_PARK_WATCH_MS', meaning: 'how often a worker on AWS looks for links parked elsewhere that it holds (0: off; embedded workers hear it over IPC)' },
  drainTimeoutMs: { name: 'LIFELINE_DRAIN_TIMEOUT_MS', meaning: 'how long a draining worker waits for peers to take its links' },
  storeTimeoutMs: { name: 'LIFELINE_STORE_TIMEOUT_MS', meaning: 'how long one attempt of a worker\'s store call may take (default 3000)' },
  pingIdleMs: { name: 'LIFELINE_PING_IDLE_MS', meaning: 'ping a socket silent for this long' },
  deadAfterMs: { name: 'LIFELINE_DEAD_AFTER_MS', meaning: 'a socket silent for this long is dead' },
  helloTimeoutMs: { name: 'LIFELINE_HELLO_TIMEOUT_MS', meaning: 'a socket without `hello` after this long is a failed attempt' },
  closeTimeoutMs: { name: 'LIFELINE_CLOSE_TIMEOUT_MS', meaning: 'a close handshake not done in this long destroys the TCP socket' },
  serverPingTimeoutMs: { name: 'LIFELINE_SERVER_PING_TIMEOUT_MS', meaning: 'a Socket Mode socket without a server ping for this long is dead' },
  // The Slack app.
  slackApiUrl: { name: 'SLACK_API_URL', meaning: 'Slack Web API base', default: 'https://slack.com/api/' },
  slackAppId: { name: 'SLACK_APP_ID', meaning: 'the Slack app whose installations this deployment holds' },
  appProtocol: { name: 'LIFELINE_APP_PROTOCOL', meaning: 'how the app connects: `rtm` (a classic app, a socket per workspace) or `socket` (Socket Mode)', default: DEFAULT_APP_PROTOCOL },
  /**
   * Where the Lambdas find the Slack app's secrets: the secret's ARN, never a value. They read its
   * JSON fields at run time (`SecretSource`, cached `SLACK_SECRET_MAX_AGE_MS`).
   */
  slackSecretArn: { name: 'LIFELINE_SLACK_SECRET_ARN', meaning: 'the complete ARN of the Slack app secret in Secrets Manager' },
  /**
   * Secret values, read from the environment only by the worker (ECS injects the secret's JSON
   * fields, `tokenOpenerSecretFields`, at task start) and by `npm start`; never by a Lambda.
   */
  slackClientId: { name: 'SLACK_CLIENT_ID', meaning: 'OAuth client id (installs, and renewing rotating tokens)' },
  slackClientSecret: { name: 'SLACK_CLIENT_SECRET', meaning: 'OAuth client secret (installs, and renewing rotating tokens)' },
  slackAppToken: { name: 'SLACK_APP_TOKEN', meaning: 'the app-level token (xapp-) Socket Mode connects with' },
  /** `npm start` only (a Lambda reads it from the Slack app secret). */
  slackSigningSecret: { name: 'SLACK_SIGNING_SECRET', meaning: 'verifies Events API requests' },
  scopes: { name: 'SLACK_SCOPES', meaning: 'bot scopes asked for at install, comma-separated (an RTM app: `bot`)' },
  userScopes: { name: 'SLACK_USER_SCOPES', meaning: 'user scopes asked for at install, comma-separated' },
  authorizeUrl: { name: 'SLACK_AUTHORIZE_URL', meaning: 'Slack\'s OAuth authorize page', default: 'https://slack.com/oauth/v2/authorize' },
  redirectUri: { name: 'SLACK_REDIRECT_URI', meaning: 'the public URL of /slack/oauth_redirect, as registered with Slack' },
} as const satisfies Record<string, EnvKey>;

export type EnvKeyId = keyof typeof ENV;

/** Just the names, for the constructs: `{ [envKeys.tableName]: table.tableName }`. */
export const envKeys = Object.fromEntries(Object.entries(ENV).map(([id, key]) => [id, key.name])) as { readonly [K in EnvKeyId]: (typeof ENV)[K]['name'] };
