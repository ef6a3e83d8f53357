/**
 * What really happened, as the simulator saw it. Tests assert against this instead of trusting
 * what the system under test says about itself.
 */
export type Protocol = 'rtm' | 'socket_mode';

export interface ApiCallRecord {
  at: number;
  method: string;
  teamId?: string;
  appId?: string;
  /** 'ok', an error code, or 'ratelimited' */
  outcome: string;
  status: number;
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
  /** retries exhausted without an ack */
  dropped: boolean;
}

export interface HttpDeliveryRecord {
  at: number;
  appId: string;
  url: string;
  eventId?: string;
  type: string;
  attempt: number;
  status?: number;
  error?: string;
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

  /** Forget the logs (counters of open sockets stay, they describe the present). */
  reset(): void {
    this.apiCalls.length = 0;
    this.socketConnects.length = 0;
    this.closes.length = 0;
    this.httpDeliveries.length = 0;
    this.envelopes.clear();
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
