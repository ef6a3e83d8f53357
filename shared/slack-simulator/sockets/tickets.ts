import type { Protocol } from '../ground-truth';
import { newTicket } from '../ids';
import type { Scheduler } from '../scheduler';
import type { Clock } from '../clock';

/** A WebSocket URL handed out by rtm.connect or apps.connections.open. Single use. */
export interface Ticket {
  readonly id: string;
  readonly protocol: Protocol;
  /** team id (RTM) or app id (Socket Mode) */
  readonly key: string;
  readonly token: string;
  readonly expiresAt: number;
  used: boolean;
  /** RTM: events produced between rtm.connect and hello, replayed after hello (SLACK-PROTOCOL §1.4). */
  pending?: Record<string, unknown>[];
  /** RTM: no more events queue here: hello replayed them, or the URL's socket will never say hello. */
  settled?: boolean;
}

export type TicketCheck = { ok: true; ticket: Ticket } | { ok: false; why: 'unknown' | 'used' | 'expired'; ticket?: Ticket };

// Keep a spent or expired ticket around a little so a late reuse still reads as "expired", not "unknown".
const FORGET_AFTER_MS = 10 * 60_000;
const MAX_PENDING = 100;

export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly clock: Clock, private readonly scheduler: Scheduler) {}

  issue(protocol: Protocol, key: string, token: string, ttlMs: number): Ticket {
    const ticket: Ticket = { id: newTicket(), protocol, key, token, expiresAt: this.clock.now() + ttlMs, used: false };
    this.tickets.set(ticket.id, ticket);
    this.scheduler.at(ticket.expiresAt + FORGET_AFTER_MS, () => this.tickets.delete(ticket.id));
    return ticket;
  }

  /** Marks the ticket used whatever the outcome: Slack's URLs never work twice. */
  redeem(id: string, protocol: Protocol): TicketCheck {
    const ticket = this.tickets.get(id);
    if (!ticket || ticket.protocol !== protocol) return { ok: false, why: 'unknown' };
    if (ticket.used) return { ok: false, why: 'used', ticket };
    ticket.used = true;
    if (ticket.expiresAt < this.clock.now()) {
      this.settle(ticket);
      return { ok: false, why: 'expired', ticket };
    }
    return { ok: true, ticket };
  }

  /** Looks without spending (fault scoping needs the key before the upgrade is decided). */
  peek(id: string): Ticket | undefined {
    return this.tickets.get(id);
  }

  /** The URL's events are replayed or will never be: stop queueing on it. */
  settle(ticket: Ticket): void {
    ticket.settled = true;
    ticket.pending = undefined;
  }

  /**
   * Queues an RTM event on every ticket of the team (issued for a token `forToken` accepts) whose socket has not said hello yet: a URL not
   * used, or used by a socket still waiting for its hello. An unused URL past its lifetime is skipped.
   */
  queueForTeam(teamId: string, event: Record<string, unknown>, forToken: (token: string) => boolean = () => true): void {
    const now = this.clock.now();
    for (const t of this.tickets.values()) {
      if (t.protocol !== 'rtm' || t.key !== teamId || t.settled || !forToken(t.token)) continue;
      if (!t.used && t.expiresAt < now) continue;
      t.pending ??= [];
      if (t.pending.length < MAX_PENDING) t.pending.push(event);
    }
  }

  clear(): void {
    this.tickets.clear();
  }
}
