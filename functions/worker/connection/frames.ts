import type { HelloInfo, InboundEvent } from './types';

/** What an inbound text frame means to the connection; the connection decides by its phase. */
export type FrameMeaning =
  | { is: 'hello'; info: HelloInfo }
  /** RTM `{"type":"error"}`: fails a connect; after hello it is passed on as an event. */
  | { is: 'error'; error: string; frame: Record<string, unknown> }
  | { is: 'refresh'; reason: string }
  | { is: 'notice'; reason: string }
  | { is: 'event'; event: InboundEvent }
  | { is: 'ignore' };

const IGNORE: FrameMeaning = { is: 'ignore' };
const RTM_HELLO: FrameMeaning = { is: 'hello', info: {} };
/** Planned refreshes: open a new socket before this one goes (SLACK-PROTOCOL §1.4, §2.4). */
const RTM_REFRESH = new Set(['goodbye', 'team_migration_started']);
const SOCKET_REFRESH = new Set(['warning', 'refresh_requested']);

export function parseFrame(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function readRtmFrame(f: Record<string, unknown>): FrameMeaning {
  // Replies to our own writes (pongs, message acks) carry `reply_to`; their arrival is all we need.
  if ('reply_to' in f) return IGNORE;
  const type = f.type;
  if (typeof type !== 'string') return IGNORE;
  if (type === 'hello') return RTM_HELLO;
  if (type === 'pong') return IGNORE;
  if (RTM_REFRESH.has(type)) return { is: 'refresh', reason: type };
  if (type === 'error') return { is: 'error', error: rtmErrorCode(f.error), frame: f };
  return { is: 'event', event: { kind: type, payload: f } };
}

/** `{"code":1,"msg":"Socket URL has expired"}` is the stale-URL answer (SLACK-PROTOCOL §1.4). */
function rtmErrorCode(error: unknown): string {
  const e = typeof error === 'object' && error !== null ? (error as { code?: unknown; msg?: unknown }) : {};
  if (e.code === 1 || (typeof e.msg === 'string' && /url has expired/i.test(e.msg))) return 'socket_url_expired';
  return typeof e.code === 'number' ? `rtm_error_${e.code}` : 'rtm_error';
}

export function readSocketModeFrame(f: Record<string, unknown>): FrameMeaning {
  const type = f.type;
  if (typeof f.envelope_id === 'string' && typeof type === 'string') return { is: 'event', event: envelope(f, type, f.envelope_id) };
  if (type === 'hello') return { is: 'hello', info: helloInfo(f) };
  if (type === 'disconnect') {
    const reason = typeof f.reason === 'string' && f.reason !== '' ? f.reason : 'unknown';
    return SOCKET_REFRESH.has(reason) ? { is: 'refresh', reason } : { is: 'notice', reason };
  }
  return IGNORE;
}

function envelope(f: Record<string, unknown>, kind: string, envelopeId: string): InboundEvent {
  const payload = typeof f.payload === 'object' && f.payload !== null ? (f.payload as Record<string, unknown>) : {};
  const event: InboundEvent = { kind, envelopeId, payload };
  if (typeof f.accepts_response_payload === 'boolean') event.acceptsResponsePayload = f.accepts_response_payload;
  if (typeof f.retry_attempt === 'number') event.retryAttempt = f.retry_attempt;
  if (typeof f.retry_reason === 'string') event.retryReason = f.retry_reason;
  return event;
}

function helloInfo(f: Record<string, unknown>): HelloInfo {
  const info: HelloInfo = {};
  if (typeof f.num_connections === 'number') info.numConnections = f.num_connections;
  const debug = f.debug_info as { approximate_connection_time?: unknown } | undefined;
  if (typeof debug?.approximate_connection_time === 'number') info.approximateConnectionTimeS = debug.approximate_connection_time;
  return info;
}
