import { systemClock, type Clock } from './clock';
import type { TokenStatus } from './model';

/** A token bucket: `perMinute` sustained, up to `burst` calls at once. */
export interface RateRule {
  perMinute: number;
  burst: number;
}

export const TIER_1: RateRule = { perMinute: 1, burst: 4 };
export const TIER_2: RateRule = { perMinute: 20, burst: 20 };
export const TIER_3: RateRule = { perMinute: 50, burst: 50 };
export const TIER_4: RateRule = { perMinute: 100, burst: 100 };

/** Slack's published tiers per method (SLACK-PROTOCOL §5). Burst sizes are our guess: Slack only says "small bursts". */
export const DEFAULT_RATE_RULES: Record<string, RateRule> = {
  'rtm.connect': TIER_1,
  'rtm.start': TIER_1,
  'apps.connections.open': TIER_1,
  'apps.uninstall': TIER_1,
  'auth.revoke': TIER_3,
  'auth.test': { perMinute: 600, burst: 100 },
  'oauth.v2.access': { perMinute: 600, burst: 600 },
  // "1 message per second per channel, short bursts allowed": counted per channel (web-api/bot-methods.ts).
  'chat.postMessage': { perMinute: 60, burst: 10 },
  'views.open': TIER_4,
  'views.publish': TIER_4,
  'reactions.add': TIER_3,
};

export interface RtmOptions {
  /** A URL from rtm.connect must be used within this (Slack: 30 s). */
  urlTtlMs: number;
  /** Server sends `goodbye` at this age, then closes (Slack: 8 h). */
  maxAgeMs: number;
  /** Delay between `goodbye` and the server's close. */
  goodbyeCloseDelayMs: number;
  /** Goodbye after a workspace produced no events for this long (Slack: ~2 min). 0 = off. */
  idleGoodbyeMs: number;
  /** WebSocket ping frames from the server; Slack documents none for RTM. 0 = off. */
  serverPingIntervalMs: number;
  /** Sustained client writes per second and the burst tolerated before an error reply (Slack: 1/s). */
  writesPerSecond: number;
  writeBurst: number;
  /** Error replies for writing too fast before the server disconnects. */
  writeStrikesBeforeClose: number;
  /** Frames larger than this close the socket (Slack: 16 KB). */
  maxFrameBytes: number;
}

export type AfterDisconnect = 'close' | 'drop' | 'linger';

export interface SocketModeOptions {
  maxConnectionsPerApp: number;
  /** Which socket receives `too_many_websockets` when an app opens one too many. */
  tooManyVictim: 'newest' | 'oldest';
  /** Connection lifetime announced in hello and enforced (Slack captures: 18060 s). */
  lifetimeMs: number;
  /** Lifetime with `debug_reconnects=true` in the URL (Slack: 360 s). */
  debugLifetimeMs: number;
  /** `disconnect`/`warning` comes this long before `refresh_requested` (Slack: ~10 s). 0 = no warning. */
  warningLeadMs: number;
  serverPingIntervalMs: number;
  /** After a `disconnect` the server closes (1000), drops TCP, or leaves it to the client. */
  afterDisconnect: AfterDisconnect;
  afterDisconnectDelayMs: number;
  ackTimeoutMs: number;
  /** Wait after each failed delivery before the next retry (Slack: 0, 60 s, 300 s). */
  retryDelaysMs: number[];
  /** How an envelope picks one of the app's sockets. */
  pick: 'round-robin' | 'random' | 'newest' | 'oldest';
  host: string;
  buildNumber: number;
  /** A URL from apps.connections.open must be used within this; reuse or lateness refuses the upgrade (401). */
  ticketTtlMs: number;
  /**
   * Off (Slack's documented behaviour): only `events_api` is retried, with the same envelope id and
   * `retry_attempt`/`retry_reason`. On: every kind (`slash_commands`, `interactive` too) is
   * redelivered on the same schedule, each time under a NEW envelope id, so a receiver that
   * dedupes on envelope ids alone gets the payload twice (issue 15).
   */
  redeliverEveryKind: boolean;
}

export interface InteractivityOptions {
  /** A `trigger_id` opens one view within this (Slack: 3 s), once. */
  triggerTtlMs: number;
  /** A `response_url` takes this many posts (Slack: 5)... */
  responseUrlUses: number;
  /** ...within this (Slack: 30 min). */
  responseUrlTtlMs: number;
  /** A command or interaction POSTed to a Request URL must be answered within this (Slack: 3 s). */
  httpTimeoutMs: number;
}

export interface HttpEventsOptions {
  timeoutMs: number;
  retryDelaysMs: number[];
}

export interface TokenPolicy {
  /** Statuses a token takes after `apps.uninstall` / a programmatic uninstall. */
  afterUninstall: { bot: TokenStatus; user: TokenStatus };
  /** Statuses after `auth.revoke`. */
  afterRevoke: { bot: TokenStatus; user: TokenStatus };
  /** What live sockets see when their token stops being active. */
  socketOnDisable: { action: 'close'; code: number } | { action: 'drop' };
}

export interface SimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  clock: Clock;
  rtm: RtmOptions;
  socketMode: SocketModeOptions;
  httpEvents: HttpEventsOptions;
  interactivity: InteractivityOptions;
  /** false switches rate limiting off (benchmarks with thousands of links). */
  rateLimits: false | Record<string, RateRule | false>;
  /** Fixed Retry-After seconds instead of the bucket's own estimate. */
  retryAfterSeconds?: number;
  tokens: TokenPolicy;
  /** Order of `tokens_revoked` and `app_uninstalled` (Slack: either). */
  uninstallEventOrder: 'tokens_revoked_first' | 'app_uninstalled_first' | 'random';
  /** Oldest ground-truth records are dropped past this many per list. */
  maxTruthRecords: number;
  /** Logs each request to stderr. */
  verbose: boolean;
}

export type SimulatorOptionsInput = Partial<Omit<SimulatorOptions, 'rtm' | 'socketMode' | 'httpEvents' | 'interactivity' | 'tokens' | 'rateLimits'>> & {
  rtm?: Partial<RtmOptions>;
  socketMode?: Partial<SocketModeOptions>;
  httpEvents?: Partial<HttpEventsOptions>;
  interactivity?: Partial<InteractivityOptions>;
  tokens?: Partial<TokenPolicy>;
  /** Overrides merge into Slack's tiers; false switches limiting off. */
  rateLimits?: false | Record<string, RateRule | false>;
};

export function resolveOptions(input: SimulatorOptionsInput = {}): SimulatorOptions {
  return {
    host: input.host ?? '127.0.0.1',
    port: input.port ?? 0,
    clock: input.clock ?? systemClock,
    rtm: {
      urlTtlMs: 30_000, maxAgeMs: 8 * 3_600_000, goodbyeCloseDelayMs: 5_000, idleGoodbyeMs: 0, serverPingIntervalMs: 0,
      writesPerSecond: 1, writeBurst: 10, writeStrikesBeforeClose: 3, maxFrameBytes: 16 * 1024, ...input.rtm,
    },
    socketMode: {
      maxConnectionsPerApp: 10, tooManyVictim: 'newest', lifetimeMs: 18_060_000, debugLifetimeMs: 360_000,
      warningLeadMs: 10_000, serverPingIntervalMs: 10_000, afterDisconnect: 'close', afterDisconnectDelayMs: 1_000,
      ackTimeoutMs: 3_000, retryDelaysMs: [0, 60_000, 300_000], pick: 'round-robin', host: 'applink-1', buildNumber: 54, ticketTtlMs: 30_000,
      redeliverEveryKind: false, ...input.socketMode,
    },
    httpEvents: { timeoutMs: 3_000, retryDelaysMs: [0, 60_000, 300_000], ...input.httpEvents },
    interactivity: { triggerTtlMs: 3_000, responseUrlUses: 5, responseUrlTtlMs: 30 * 60_000, httpTimeoutMs: 3_000, ...input.interactivity },
    rateLimits: input.rateLimits === false ? false : { ...DEFAULT_RATE_RULES, ...input.rateLimits },
    retryAfterSeconds: input.retryAfterSeconds,
    tokens: {
      afterUninstall: { bot: 'unknown', user: 'revoked' },
      afterRevoke: { bot: 'inactive', user: 'revoked' },
      socketOnDisable: { action: 'close', code: 1000 },
      ...input.tokens,
    },
    uninstallEventOrder: input.uninstallEventOrder ?? 'random',
    maxTruthRecords: input.maxTruthRecords ?? 200_000,
    verbose: input.verbose ?? false,
  };
}
