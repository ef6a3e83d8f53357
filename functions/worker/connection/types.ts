/**
 * One Slack WebSocket (RTM or Socket Mode), speaking Slack's protocol on top of `ws`: `hello`,
 * liveness, planned refreshes, envelopes and acks, and a disciplined close. It knows nothing of
 * links, the machine or the store: the link runner turns what it reports into events.
 */
import type { LinkProtocol } from '../../../shared/domain';

export interface LivenessOptions {
  /** Send a ping when nothing has been received for this long (at most one ping per this period). Default 5,000. */
  pingIdleMs: number;
  /** Declare the socket dead when nothing (frame, pong, server ping) has arrived for this long. Default 8,000. */
  deadAfterMs: number;
  /** Socket Mode: declare dead when no server ping frame arrived for this long. Default 30,000. */
  serverPingTimeoutMs: number;
  /** Fail a connect whose `hello` has not arrived by then. Default 10,000. */
  helloTimeoutMs: number;
  /** A close handshake that has not finished by then destroys the TCP socket. Default 1,000. */
  closeTimeoutMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = {
  pingIdleMs: 5_000,
  deadAfterMs: 7_000,
  serverPingTimeoutMs: 30_000,
  helloTimeoutMs: 10_000,
  closeTimeoutMs: 1_000,
};

/** Why a connect never reached `hello`. `error` is a string the Slack error table classifies. */
export class ConnectError extends Error {
  readonly code = 'CONNECT_FAILED';

  constructor(
    /**
     * `hello_timeout`, `socket_url_expired`, `http_408`, `close_1006`, `ECONNREFUSED`; a Socket Mode
     * `disconnect` reason sent instead of hello (`link_disabled`, `too_many_websockets`); `aborted`
     * when `close()` was called first.
     */
    readonly error: string,
    options?: { cause?: unknown },
  ) {
    super(`connect failed: ${error}`, options);
    this.name = new.target.name;
  }
}

export interface HelloInfo {
  /** Socket Mode: `num_connections` from hello. */
  numConnections?: number;
  /** Socket Mode: `debug_info.approximate_connection_time`, in seconds. */
  approximateConnectionTimeS?: number;
}

/** Why an open socket ended. */
export type CloseCause =
  /** A close frame arrived, or TCP dropped (1006). */
  | { kind: 'closed'; code: number; reason: string }
  /**
   * The liveness watchdog gave up and destroyed the TCP socket. `silence`: nothing received for
   * `silentForMs`. `server_ping` (Socket Mode): no server ping frame for `silentForMs`, though
   * other frames may have arrived.
   */
  | { kind: 'dead'; silentForMs: number; watchdog: 'silence' | 'server_ping' }
  /** We closed it (`close()`). */
  | { kind: 'local'; reason: string };

/** An RTM event, or a Socket Mode envelope. */
export interface InboundEvent {
  /** RTM: the event's `type`. Socket Mode: the envelope `type` (`events_api`, `slash_commands`, `interactive`). */
  kind: string;
  /** Socket Mode only. */
  envelopeId?: string;
  /** Socket Mode only: whether the ack may carry a response payload. */
  acceptsResponsePayload?: boolean;
  /** Socket Mode `events_api` redeliveries. */
  retryAttempt?: number;
  retryReason?: string;
  /** RTM: the whole frame. Socket Mode: the envelope's `payload`. */
  payload: Record<string, unknown>;
}

/**
 * Called from socket and ticker callbacks, never synchronously inside `openSlackConnection`.
 * Handlers must not throw: the connection does not catch for them.
 */
export interface ConnectionHandlers {
  onEvent(event: InboundEvent): void;
  /** RTM `goodbye` / `team_migration_started`; Socket Mode `disconnect` `warning` / `refresh_requested`. */
  onRefresh(reason: string): void;
  /** Socket Mode `disconnect` reasons that are not refreshes: `link_disabled`, `too_many_websockets`, unknown ones. */
  onDisconnectNotice(reason: string): void;
  /** The socket ended after `hello`. Called exactly once, and never before `opened` resolved. */
  onClose(cause: CloseCause): void;
}

/** Time as the connection reads it. Default: a monotonic clock (`performance.now()`), so wall-clock jumps never kill sockets. */
export interface Clock {
  now(): number;
}

/**
 * What a shared `Ticker` drives: one call per tick for every registered connection, instead of a
 * timer per connection. `stalled` says the event loop was blocked long enough that inbound frames
 * may still sit unread in socket buffers, so silence must not be judged on this tick.
 */
export interface Tickable {
  tick(stalled: boolean): void;
}

/** One interval for thousands of connections (see `ticker.ts`); tests drive their own. */
export interface Ticker {
  add(target: Tickable): void;
  remove(target: Tickable): void;
}

export interface OpenSlackConnectionOptions {
  protocol: LinkProtocol;
  /** The single-use URL from `rtm.connect` / `apps.connections.open`. */
  url: string;
  handlers: ConnectionHandlers;
  /** Overrides of `DEFAULT_LIVENESS`. Pass the same object to many connections: it is resolved once. */
  liveness?: Partial<LivenessOptions>;
  ticker: Ticker;
  clock?: Clock;
}

export interface SlackConnection {
  readonly protocol: LinkProtocol;
  /**
   * Resolves on `hello`; rejects with `ConnectError` otherwise (and the socket is destroyed). A
   * rejection nobody awaits is not reported as unhandled (a worker may `close()` a connect it gave up on).
   */
  readonly opened: Promise<HelloInfo>;
  readonly isOpen: boolean;
  /** Socket Mode: ack an envelope (`{ envelope_id, payload? }`). Returns false if the socket is gone. */
  ack(envelopeId: string, payload?: unknown): boolean;
  /**
   * Close with a close frame (1000); terminate the TCP socket if the handshake has not finished in
   * `closeTimeoutMs`. Resolves once the socket is gone. Before `hello` it aborts the connect
   * (`opened` rejects with `aborted`). Idempotent.
   */
  close(reason: string): Promise<void>;
}
