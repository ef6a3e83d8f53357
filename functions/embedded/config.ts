import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_PORT } from '../../shared/app';
import { ENV, EnvReader, readLogLevel, readSlackApiUrl, type LogLevel } from '../../shared/config';
import { LINK_PROTOCOLS, type LinkProtocol } from '../../shared/domain';
import { httpLimits, type HttpLimits } from '../../shared/http';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './status/event-streams';
import type { EventHandlerConfig } from './event-handler';
import { DEFAULT_LOG_ROTATION, type LogRotation } from './rotating-file';

/** Real Slack: an app's OAuth and Socket Mode credentials. All or none. */
export interface RealSlackConfig {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** `xapp-` app-level token for Socket Mode. Never logged. */
  appToken: string;
  appId: string;
  apiUrl: string;
  /** Bot scopes asked for at "Add to Slack". */
  scopes: string[];
  /** `rtm`: every install gets an RTM link (a classic app); `socket`: installs share the app's Socket Mode pool. */
  protocol: LinkProtocol;
  authorizeUrl: string;
  /** Default: this server's own `/slack/oauth_redirect`. */
  redirectUri?: string;
}

/** The bundled simulator and the simulated workspaces it is seeded with. */
export interface SimulatedSlackConfig {
  rtmWorkspaces: number;
  socketModeWorkspaces: number;
  /** The gentle fault schedule (drops, silent sockets, a refresh, a disable, an uninstall + reinstall). */
  faults: boolean;
  /** 0 picks a free port. */
  port: number;
}

export interface EmbeddedConfig {
  /** The operator's port: status page, `/status.json`, live feed, operator API (token required). */
  port: number;
  /** `/slack/*` (OAuth, Events) on a listener of its own: the port a tunnel for Slack exposes. Default PORT + 1. */
  slackPort: number;
  /** Host names the operator port answers to besides localhost, 127.0.0.1 and [::1]. */
  allowedHosts: string[];
  /** Where the store (LevelDB), logs and local keys live. Default `.lifeline/` in the working directory. */
  dataDir: string;
  tableName: string;
  workers: number;
  /** Socket Mode links per app (Slack allows at most 10 sockets per app). */
  socketModeSlots: number;
  /** Lease of a worker's heartbeat; failover of a SIGKILLed worker's links is bounded by it. */
  leaseMs: number;
  logLevel: LogLevel;
  /** Each log file rolls past `maxBytes` and at every start; `keep` older files stay (`workers.log.1` …). */
  logRotation: LogRotation;
  slack: { mode: 'real'; app: RealSlackConfig } | { mode: 'simulated'; sim: SimulatedSlackConfig };
  /** The bot: a module called with every batch of events. Without one, events are only counted. */
  handler?: EventHandlerConfig;
  /** A Bolt app (`LIFELINE_BOT`): its module default-exports the App; it runs in a process of its own. */
  bot?: EventHandlerConfig;
  /** What one HTTP client may take: header and body deadlines, body size, connections (`shared/http/limits.ts`). */
  http: HttpLimits;
  /** Live feeds (`/events/stream`): how many at once, and how far one may fall behind. */
  streams: StreamLimits;
  /**
   * The environment a worker child starts with: the parent's, so every `LIFELINE_*` worker key
   * (capacity, liveness windows, ...) set for `npm start` reaches the workers unchanged.
   */
  workerEnv: Record<string, string | undefined>;
}

/** The bot scopes asked for at "Add to Slack" when SLACK_SCOPES is not set, per protocol. */
export const DEFAULT_SCOPES: Record<LinkProtocol, string> = { rtm: 'bot', socket: 'app_mentions:read,chat:write' };

const SLACK_KEYS = [ENV.slackClientId, ENV.slackClientSecret, ENV.slackSigningSecret, ENV.slackAppToken, ENV.slackAppId];

/** Reads `npm start`'s configuration once (environment over `.env`), naming every problem at once. */
export function readEmbeddedConfig(env: Record<string, string | undefined>, cwd: string): EmbeddedConfig {
  const read = new EnvReader(env);
  const given = SLACK_KEYS.filter((key) => read.optional(key) !== undefined);
  let slack: EmbeddedConfig['slack'];
  if (given.length > 0) {
    const why = 'real Slack needs the whole app configuration (or none of it, for the simulator)';
    slack = {
      mode: 'real',
      app: {
        clientId: read.required(ENV.slackClientId, why),
        clientSecret: read.required(ENV.slackClientSecret, why),
        signingSecret: read.required(ENV.slackSigningSecret, why),
        appToken: read.required(ENV.slackAppToken, why),
        appId: read.required(ENV.slackAppId, why),
        apiUrl: readSlackApiUrl(read),
        protocol: read.oneOf(ENV.appProtocol, LINK_PROTOCOLS),
        scopes: [],
        authorizeUrl: read.withDefault(ENV.authorizeUrl),
      },
    };
    // RTM needs the classic `bot` scope; Socket Mode apps ask for granular scopes.
    slack.app.scopes = (read.optional(ENV.scopes) ?? DEFAULT_SCOPES[slack.app.protocol]).split(',').map((s) => s.trim()).filter(Boolean);
    const redirectUri = read.optional(ENV.redirectUri);
    if (redirectUri) slack.app.redirectUri = redirectUri;
  } else {
    slack = {
      mode: 'simulated',
      sim: {
        rtmWorkspaces: read.int('LIFELINE_SIM_RTM_WORKSPACES', { min: 0 }) ?? 50,
        socketModeWorkspaces: read.int('LIFELINE_SIM_SM_WORKSPACES', { min: 0 }) ?? 10,
        faults: read.oneOf('LIFELINE_SIM_FAULTS', ['on', 'off'] as const, 'on') === 'on',
        port: read.int('LIFELINE_SIM_PORT', { min: 0 }) ?? 0,
      },
    };
  }
  const port = read.int('PORT', { min: 0 }) ?? DEFAULT_PORT;
  const slackPort = read.int('LIFELINE_SLACK_PORT', { min: 0 }) ?? (port === 0 ? 0 : port + 1);
  const config: EmbeddedConfig = {
    port,
    slackPort,
    allowedHosts: (read.optional('LIFELINE_ALLOWED_HOSTS') ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean),
    dataDir: resolve(cwd, read.optional('LIFELINE_DATA_DIR') ?? DEFAULT_DATA_DIR),
    tableName: read.optional(ENV.tableName) ?? 'lifeline',
    workers: read.int('LIFELINE_WORKERS') ?? 2,
    socketModeSlots: read.int('LIFELINE_SM_SLOTS') ?? 2,
    leaseMs: read.int(ENV.leaseMs) ?? 20_000,
    logLevel: readLogLevel(read),
    logRotation: {
      maxBytes: read.int('LIFELINE_LOG_MAX_BYTES', { min: 1024 }) ?? DEFAULT_LOG_ROTATION.maxBytes,
      keep: read.int('LIFELINE_LOG_FILES', { min: 0 }) ?? DEFAULT_LOG_ROTATION.keep,
    },
    slack,
    http: httpLimits({
      headersTimeoutMs: read.int('LIFELINE_HTTP_HEADERS_TIMEOUT_MS'),
      bodyTimeoutMs: read.int('LIFELINE_HTTP_BODY_TIMEOUT_MS'),
      maxBodyBytes: read.int('LIFELINE_HTTP_MAX_BODY_BYTES'),
      maxConnections: read.int('LIFELINE_HTTP_MAX_CONNECTIONS'),
    }),
    streams: {
      maxStreams: read.int('LIFELINE_MAX_STREAMS') ?? DEFAULT_STREAM_LIMITS.maxStreams,
      maxBufferedBytes: read.int('LIFELINE_STREAM_MAX_BUFFER_BYTES') ?? DEFAULT_STREAM_LIMITS.maxBufferedBytes,
    },
    workerEnv: { ...env },
  };
  const handlerPath = read.optional('LIFELINE_HANDLER');
  // Under Slack's 3 s ack window: a hung bot costs a redelivery, not a stuck envelope.
  const handlerTimeoutMs = read.int('LIFELINE_HANDLER_TIMEOUT_MS', { min: 1 }) ?? 2_500;
  if (handlerPath) config.handler = { path: resolve(cwd, handlerPath), timeoutMs: handlerTimeoutMs };
  const botPath = read.optional('LIFELINE_BOT');
  if (botPath) config.bot = { path: resolve(cwd, botPath), timeoutMs: handlerTimeoutMs };
  if (botPath && handlerPath) read.problems.push('LIFELINE_BOT and LIFELINE_HANDLER are both set: the bot is either a Bolt app (LIFELINE_BOT) or an event handler module (LIFELINE_HANDLER), not both; unset one');
  if (port !== 0 && slackPort === port) read.problems.push('LIFELINE_SLACK_PORT must differ from PORT (the Slack endpoints have a listener of their own)');
  if (config.allowedHosts.some((host) => !/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/.test(host))) read.problems.push('LIFELINE_ALLOWED_HOSTS must be host names without a port (the Host header may name any port), comma-separated');
  if (config.socketModeSlots > 10) read.problems.push('LIFELINE_SM_SLOTS must be at most 10 (Slack allows 10 sockets per app)');
  read.done();
  return config;
}
