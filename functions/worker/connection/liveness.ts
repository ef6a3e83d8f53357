import { DEFAULT_LIVENESS, type LivenessOptions } from './types';

/** What one tick decides for an open socket. Strings, so a tick allocates nothing. */
export type LivenessVerdict = 'ok' | 'ping' | 'dead' | 'no_server_ping';

/** The few timestamps a connection keeps for liveness (clock milliseconds). */
export interface LivenessMarks {
  /** Last inbound frame of any kind: data, pong, server ping. */
  lastRxAt: number;
  /** Last ping we sent; a ping is outstanding while it is later than `lastRxAt`. */
  lastPingAt: number;
  /** Socket Mode: last server ping frame (hello counts as the first). */
  lastServerPingAt: number;
}

/**
 * Dead beats ping: a socket silent for `deadAfterMs` is not worth another ping. At most one ping
 * is outstanding, and the next one waits for `pingIdleMs` of fresh silence after any reception,
 * so an idle healthy link sends at most one ping per `pingIdleMs`.
 */
export function livenessVerdict(m: LivenessMarks, now: number, o: LivenessOptions, watchServerPings: boolean): LivenessVerdict {
  const silent = now - m.lastRxAt;
  if (silent >= o.deadAfterMs) return 'dead';
  if (watchServerPings && now - m.lastServerPingAt >= o.serverPingTimeoutMs) return 'no_server_ping';
  if (silent >= o.pingIdleMs && m.lastPingAt <= m.lastRxAt) return 'ping';
  return 'ok';
}

// Workers pass one options object to thousands of connections: resolve it once, share the result.
const resolved = new WeakMap<Partial<LivenessOptions>, LivenessOptions>();

export function resolveLiveness(input: Partial<LivenessOptions> | undefined): LivenessOptions {
  if (input === undefined) return DEFAULT_LIVENESS;
  let out = resolved.get(input);
  if (out === undefined) {
    out = Object.freeze({ ...DEFAULT_LIVENESS, ...dropUndefined(input) });
    validate(out);
    resolved.set(input, out);
  }
  return out;
}

function validate(o: LivenessOptions): void {
  for (const [key, value] of Object.entries(o)) {
    if (!(typeof value === 'number' && value > 0)) throw new RangeError(`liveness.${key} must be a positive number`);
  }
  // Otherwise a quiet link would be declared dead before it was ever pinged.
  if (o.pingIdleMs >= o.deadAfterMs) throw new RangeError('liveness.pingIdleMs must be below deadAfterMs');
}

function dropUndefined(o: Partial<LivenessOptions>): Partial<LivenessOptions> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
