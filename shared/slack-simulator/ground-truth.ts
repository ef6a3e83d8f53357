/**
 * What really happened, as the simulator saw it. Tests assert against this instead of trusting
 * what the system under test says about itself.
 */
export type Protocol = 'rtm' | 'socket_mode';

export interface ApiCallRecord {
  at: number;
  /** A Web API method, or `response_url` for a post to one */
  method: string;
  teamId?: string;
  appId?: string;
  /** 'ok', an error code, or 'ratelimited' */
  outcome: string;
  status: number;
  /** Which token, never the token: its family... */
  tokenKind?: 'bot' | 'user' | 'app';
  /** ...its generation (1 = first minted for the install; +1 per refresh or re-install)... */
  tokenGeneration?: number;
  /** ...and whether it was the install's current token when the call came. */
  tokenCurrent?: boolean;
  /** The arguments that say what the call did (channel, text, trigger_id, view type…); never a secret. */
  args?: Record<string, string>;
}

export type ConnectOutcome =
  | 'hello' | 'hello_delayed' | 'hello_withheld' | 'refused' | 'expired_url' | 'bad_ticket'
  | 'too_many_websockets' | 'link_disabled' | 'token_inactive';

export interface SocketConnectRecord {
  at: number;
  protocol: Protocol;
  /** team id (RTM) or app id (Socket Mode) */
  key: string;
  socketId?: number;
  outcome: ConnectOutcome;
}

export interface CloseRecord {
  at: number;
  socketId: number;
  protocol: Protocol;
  key: string;
  code: number;
  /** who ended it: the client, the server's protocol (goodbye, lifetime), or an injected fault */
  by: 'client' | 'server' | 'fault';
  reason: string;
}

export interface DeliveryRecord {
  at: number;
  attempt: number;
  /** The envelope id this attempt carried (a new one per attempt in redelivery mode). */
  envelopeId: string;
  /** null when no socket was open and the attempt failed */
  socketId: number | null;
  /** sent into a black-holed socket: Slack thinks it delivered, the client never sees it */
  lost?: boolean;
}

export interface EnvelopeRecord {
  envelopeId: string;
  appId: string;
  teamId?: string;
  type: string;
  eventId?: string;
  createdAt: number;
  deliveries: DeliveryRecord[];
  ackedAt?: number;
  ackSocketId?: number;
  ackPayload?: unknown;
  /** Every ack frame received for it, the first and any later (duplicate or late) ones. */
  acks: number;
  /** retries exhausted without an ack */
  dropped: boolean;
}

export interface HttpDeliveryRecord {
  at: number;
  /** One id per payload; every attempt of it shares it. */
  id: string;
  kind: 'events_api' | 'slash_commands' | 'interactive';
  appId: string;
  teamId?: string;
  url: string;
  eventId?: string;
  /** The inner event type, the command, or the interaction type */
  type: string;
  attempt: number;
  status?: number;
  error?: string;
  /** What the app answered (JSON parsed when it is JSON; at most 4 KB of text otherwise). */
  responseBody?: unknown;
}

/** One payload's fate, whichever way it travelled: the per-envelope view of `GET /_sim/truth`. */
export interface PayloadDelivery {
  /** The (first) envelope id over Socket Mode; the delivery id over HTTP */
  id: string;
  type: 'events_api' | 'slash_commands' | 'interactive';
  appId: string;
  teamId?: string;
  eventId?: string;
  via: 'socket' | 'http';
  /** Deliveries tried (a Socket Mode attempt that found no socket counts) */
  attempts: number;
  /** Socket Mode: ack frames received; HTTP: attempts answered 200 */
  acks: number;
  /** Socket Mode: the first ack's payload; HTTP: the body of the first 200 answer */
  ackPayload?: unknown;
  /** HTTP: the last status (undefined when no answer came) */
  status?: number;
  /** Socket Mode: when the payload was produced and when its first ack arrived, on the simulator's clock */
  createdAt?: number;
  ackedAt?: number;
  /** Socket Mode: every envelope id used (more than one only in redelivery mode) */
  envelopeIds?: string[];
  /** Socket Mode: the socket each attempt went to (null: none was open) */
  socketIds?: (number | null)[];
  outcome: 'acked' | 'pending' | 'dropped' | 'failed';
}

interface Counter {
  openNow: number;
  maxOpen: number;
}

export class GroundTruth {
  readonly apiCalls: ApiCallRecord[] = [];
  readonly socketConnects: SocketConnectRecord[] = [];
  readonly closes: CloseRecord[] = [];
  readonly envelopes = new Map<string, EnvelopeRecord>();
  readonly httpDeliveries: HttpDeliveryRecord[] = [];
  /** Envelope ids of redeliveries (redelivery mode) → the first envelope id of the payload. */
  readonly envelopeAliases = new Map<string, string>();
  private readonly counters = new Map<string, Counter>();
  private totalOpen = 0;
  private totalMax = 0;

  constructor(private readonly maxRecords: number) {}

  opened(key: string): void {
    const c = this.counter(key);
    c.openNow += 1;
    c.maxOpen = Math.max(c.maxOpen, c.openNow);
    this.totalOpen += 1;
    this.totalMax = Math.max(this.totalMax, this.totalOpen);
  }

  closed(key: string): void {
    const c = this.counter(key);
    c.openNow -= 1;
    this.totalOpen -= 1;
  }

  /** Sockets open now for a team (RTM) or app (Socket Mode); all of them without a key. */
  openNow(key?: string): number {
    return key === undefined ? this.totalOpen : (this.counters.get(key)?.openNow ?? 0);
  }

  /** The most sockets ever open at once for a key (or overall). */
  maxOpen(key?: string): number {
    return key === undefined ? this.totalMax : (this.counters.get(key)?.maxOpen ?? 0);
  }

  record<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.maxRecords * 1.1) list.splice(0, list.length - this.maxRecords);
  }

  calls(method?: string, key?: string): ApiCallRecord[] {
    return this.apiCalls.filter((c) => (!method || c.method === method) && (!key || c.teamId === key || c.appId === key));
  }

  connects(key?: string): SocketConnectRecord[] {
    return this.socketConnects.filter((c) => !key || c.key === key);
  }

  envelopesOf(appId?: string): EnvelopeRecord[] {
    return [...this.envelopes.values()].filter((e) => !appId || e.appId === appId);
  }

  /** The envelope record an id names, the first one or a redelivery's. */
  envelope(envelopeId: string): EnvelopeRecord | undefined {
    return this.envelopes.get(this.envelopeAliases.get(envelopeId) ?? envelopeId);
  }

  envelopeForEvent(eventId: string): EnvelopeRecord | undefined {
    for (const e of this.envelopes.values()) if (e.eventId === eventId) return e;
    return undefined;
  }

  /** Totals over envelopes: deliveries, acked envelopes, redeliveries (attempt ≥ 1 that reached a socket), dropped. */
  envelopeStats(appId?: string): { delivered: number; acked: number; redelivered: number; dropped: number; pending: number } {
    let delivered = 0; let acked = 0; let redelivered = 0; let dropped = 0; let pending = 0;
    for (const e of this.envelopesOf(appId)) {
      for (const d of e.deliveries) {
        if (d.socketId === null) continue;
        delivered += 1;
        if (d.attempt > 0) redelivered += 1;
      }
      if (e.ackedAt !== undefined) acked += 1;
      else if (e.dropped) dropped += 1;
      else pending += 1;
    }
    return { delivered, acked, redelivered, dropped, pending };
  }

  /** Every payload delivered to an app (or to a team's installs), Socket Mode and HTTP alike, oldest first. */
  deliveries(key?: string): PayloadDelivery[] {
    const out: PayloadDelivery[] = [];
    for (const e of this.envelopes.values()) {
      if (key && e.appId !== key && e.teamId !== key) continue;
      out.push({
        id: e.envelopeId, type: e.type as PayloadDelivery['type'], appId: e.appId, teamId: e.teamId, eventId: e.eventId,
        via: 'socket', attempts: e.deliveries.length, acks: e.acks, ackPayload: e.ackPayload, createdAt: e.createdAt, ackedAt: e.ackedAt,
        envelopeIds: [...new Set(e.deliveries.map((d) => d.envelopeId))], socketIds: e.deliveries.map((d) => d.socketId),
        outcome: e.ackedAt !== undefined ? 'acked' : e.dropped ? 'dropped' : 'pending',
      });
    }
    const http = new Map<string, PayloadDelivery>();
    for (const d of this.httpDeliveries) {
      if (key && d.appId !== key && d.teamId !== key) continue;
      let p = http.get(d.id);
      if (!p) {
        p = { id: d.id, type: d.kind, appId: d.appId, teamId: d.teamId, eventId: d.eventId, via: 'http', attempts: 0, acks: 0, outcome: 'failed' };
        http.set(d.id, p);
        out.push(p);
      }
      p.attempts += 1;
      p.status = d.status;
      if (d.status === 200) {
        if (p.acks === 0) p.ackPayload = d.responseBody;
        p.acks += 1;
        p.outcome = 'acked';
      }
    }
    return out;
  }

  /**
   * What `GET /_sim/truth?key=` serves. The first fields are the long-standing summary (tests and
   * the bench read them); `apiCalls` also says which token each call used. With a key, `deliveries`
   * lists each payload of that app or team; the keyless summary leaves it out, because a benchmark
   * run holds hundreds of thousands of envelopes (`truth.deliveries()` lists them in process).
   */
  summary(key?: string): Record<string, unknown> {
    return {
      openNow: this.openNow(key), maxOpen: this.maxOpen(key), envelopes: this.envelopeStats(key),
      connects: this.connects(key), apiCalls: this.calls(undefined, key), closes: this.closes.filter((c) => !key || c.key === key),
      httpDeliveries: this.httpDeliveries.filter((d) => !key || d.appId === key || d.teamId === key),
      ...(key ? { deliveries: this.deliveries(key) } : {}),
    };
  }

  /** Forget the logs (counters of open sockets stay, they describe the present). */
  reset(): void {
    this.apiCalls.length = 0;
    this.socketConnects.length = 0;
    this.closes.length = 0;
    this.httpDeliveries.length = 0;
    this.envelopes.clear();
    this.envelopeAliases.clear();
    for (const c of this.counters.values()) c.maxOpen = c.openNow;
    this.totalMax = this.totalOpen;
  }

  private counter(key: string): Counter {
    let c = this.counters.get(key);
    if (!c) {
      c = { openNow: 0, maxOpen: 0 };
      this.counters.set(key, c);
    }
    return c;
  }
}
