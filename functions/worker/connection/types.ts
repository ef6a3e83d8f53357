/**
 * One Slack WebSocket (RTM or Socket Mode), speaking Slack's protocol on top of `ws`: `hello`,
 * liveness, planned refreshes, envelopes and acks, and a disciplined close. It knows nothing of
 * links, the machine or the store: the link runner turns what it reports into events.
 */
export type SlackProtocol = 'rtm' | 'socket';

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
  deadAfterMs: 8_000,
  serverPingTimeoutMs: 30_000,
  helloTimeoutMs: 10_000,
  closeTimeoutMs: 1_000,
};

/** Why a connect never reached `hello`. `error` is a string the Slack error table classifies. */
export class ConnectError extends Error {
  readonly code = 'CONNECT_FAILED';

  constructor(
    /** `hello_timeout`, `socket_url_expired`, `http_408`, `close_1006`, `ECONNREFUSED`, ... */
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
  /** The liveness watchdog gave up: nothing received for `silentForMs`. */
  | { kind: 'dead'; silentForMs: number }
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

export interface ConnectionHandlers {
  onEvent(event: InboundEvent): void;
  /** RTM `goodbye` / `team_migration_started`; Socket Mode `disconnect` `warning` / `refresh_requested`. */
  onRefresh(reason: string): void;
  /** Socket Mode `disconnect` reasons that are not refreshes: `link_disabled`, `too_many_websockets`, unknown ones. */
  onDisconnectNotice(reason: string): void;
  /** The socket ended after `hello`. Called exactly once, and never before `opened` resolved. */
  onClose(cause: CloseCause): void;
}

export interface SlackConnection {
  readonly protocol: SlackProtocol;
  /** Resolves on `hello`; rejects with `ConnectError` otherwise (and the socket is destroyed). */
  readonly opened: Promise<HelloInfo>;
  readonly isOpen: boolean;
  /** Socket Mode: ack an envelope (`{ envelope_id, payload? }`). Returns false if the socket is gone. */
  ack(envelopeId: string, payload?: unknown): boolean;
  /** Close with a close frame; terminate the TCP socket if the handshake has not finished in `closeTimeoutMs`. */
  close(reason: string): Promise<void>;
}
