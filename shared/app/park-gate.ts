import { isParked, type LinkStateName } from '../domain';
import type { Logger, Sink, SinkAnswer, SinkEvent } from '../ports';
import { isLifecycleKind } from './lifecycle-notice';

/** What the gate needs of a link write. */
export interface LinkParkView {
  id: string;
  state: LinkStateName;
  updatedAt: number;
}

/** What the gate needs of an installation write. */
export interface InstallationParkView {
  appId: string;
  installId: string;
  active: boolean;
  parkedAt?: number;
  updatedAt: number;
}

/** Slack's own word about the revocation (`app_uninstalled`, `tokens_revoked`): the bot hears it whenever it arrives. */
const isSlackLifecycleEvent = (event: SinkEvent): boolean => {
  const type = (event.payload as { event?: { type?: unknown } } | undefined)?.event?.type;
  return type === 'app_uninstalled' || type === 'tokens_revoked';
};

/**
 * "Nothing received after the revocation is delivered" (embedded). The parent process sees every
 * store write (the write tap) and relays every worker's deliveries (the sink bridge), so it
 * knows, before the owning worker has heard the IPC notice, that a link or an installation was
 * parked, and when. An event received at or after that moment (its `receivedAt`, stamped by
 * the worker on receipt; one machine, one clock) is refused here: a link's events by the link,
 * a Socket Mode team's by its installation (its pool link stays open for the other teams).
 * What was received before the park is delivered, as is Slack's own lifecycle event and
 * Lifeline's notices. A link or installation written live again (a reinstall, the operator)
 * is let through again from that write on.
 */
export class ParkGate {
  private readonly links = new Map<string, number>();
  private readonly installations = new Map<string, number>();

  linkWritten(link: LinkParkView): void {
    if (!isParked(link.state)) this.links.delete(link.id);
    // The first parked write is the revocation; later writes of a parked link (a second REVOKED) do not move it.
    else if (!this.links.has(link.id)) this.links.set(link.id, link.updatedAt);
  }

  installationWritten(record: InstallationParkView): void {
    const key = `${record.appId}/${record.installId}`;
    if (record.active) this.installations.delete(key);
    else if (!this.installations.has(key)) this.installations.set(key, record.parkedAt ?? record.updatedAt);
  }

  /** Why the event is refused (the park it follows), or undefined when it may be delivered. */
  refusal(event: SinkEvent): string | undefined {
    if (isLifecycleKind(event.kind) || isSlackLifecycleEvent(event)) return undefined;
    const linkParkedAt = this.links.get(event.linkId);
    if (linkParkedAt !== undefined && event.receivedAt >= linkParkedAt) return `link ${event.linkId} parked`;
    const installParkedAt = event.teamId === undefined ? undefined : this.installations.get(`${event.appId}/${event.teamId}`);
    if (installParkedAt !== undefined && event.receivedAt >= installParkedAt) return `installation ${event.appId}/${event.teamId} parked`;
    return undefined;
  }

  /** How many links and installations it holds parked (they are dropped when written live again). */
  get size(): number {
    return this.links.size + this.installations.size;
  }
}

/**
 * The sink behind a gate: a refused event is answered `ok` without reaching the bot, so it is
 * acked and never redelivered (the bot must not get it later either); the rest go to `sink` in
 * one batch, each answer in its place.
 */
export function gatedSink(sink: Sink, gate: ParkGate, log: Logger): Sink {
  return {
    deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
      const refusals = events.map((event) => gate.refusal(event));
      const passing = events.filter((_, index) => refusals[index] === undefined);
      const delivered = passing.length > 0 ? sink.deliver(passing) : [];
      let next = 0;
      return events.map((event, index) => {
        const why = refusals[index];
        if (why === undefined) return delivered[next++] as Promise<SinkAnswer>;
        log.info('event received after its park: acked, not delivered', { eventId: event.id, linkId: event.linkId, teamId: event.teamId, why });
        return Promise.resolve({ ok: true });
      });
    },
  };
}
