import type { LinkStateName } from '../../../shared/domain';
import type { Counts, Transition } from './link-board';

/** One minute of the status page's charts. */
export interface HistoryBucket {
  /** The minute's start (epoch ms, a multiple of 60,000). */
  at: number;
  /** Links per state at the minute's last sample (the current minute: now). */
  links: Counts;
  /** Links that were open and lost their socket (open → backoff or connecting) in this minute. */
  reconnects: number;
  /** Events delivered to the bot in this minute. */
  events: number;
}

export interface HistoryJson {
  bucketMs: number;
  /** Oldest first; the last is the current (unfinished) minute. */
  buckets: HistoryBucket[];
}

export const HISTORY_BUCKET_MS = 60_000;
/** An hour of finished minutes, plus the current one. */
export const HISTORY_MINUTES = 60;

const LOST_SOCKET: ReadonlySet<LinkStateName> = new Set(['backoff', 'connecting']);

/**
 * The last hour, a bucket a minute, kept in the parent process for the status page's charts: a
 * bounded ring (60 finished minutes and the current one, a few kB), filled from the board's
 * transitions and a sample of the counts and the delivered-events counter. Minutes with no sample
 * (the process was down, or idle with no page open) are absent, not zero: the chart shows the gap.
 * Nothing is persisted: after a restart the history starts empty, as the process's own counters do.
 */
export class StatusHistory {
  private readonly buckets: HistoryBucket[] = [];
  private lastEvents: number | undefined;
  /** The minutes changed since the last `takeChanged` (by their `at`). */
  private readonly changed = new Set<number>();

  constructor(private readonly minutes = HISTORY_MINUTES) {}

  /** A transition the board saw: a link that was open and lost its socket counts as a reconnect. */
  transition(transition: Transition): void {
    if (!(transition.from === 'open' && LOST_SOCKET.has(transition.to))) return;
    const bucket = this.current(transition.at);
    bucket.reconnects += 1;
    this.changed.add(bucket.at);
  }

  /** The counts now and the delivered-events counter (monotonic since start). */
  sample(now: number, counts: Counts, eventsDelivered: number): void {
    const bucket = this.current(now);
    if (JSON.stringify(bucket.links) !== JSON.stringify(counts)) this.changed.add(bucket.at);
    bucket.links = { ...counts };
    if (this.lastEvents !== undefined && eventsDelivered > this.lastEvents) {
      bucket.events += eventsDelivered - this.lastEvents;
      this.changed.add(bucket.at);
    }
    this.lastEvents = eventsDelivered;
  }

  /** The current minute. */
  latest(): HistoryBucket | undefined {
    const last = this.buckets[this.buckets.length - 1];
    return last ? structuredClone(last) : undefined;
  }

  /**
   * The minutes that changed since the last call, oldest first (what the live feed sends). Not
   * only the current one: a reconnect in the last moments of a minute, after that minute's last
   * sample, changes a minute that is no longer the current one by the next sample; sent only the
   * current minute, the page never learnt of it (the status-page browser test's CI flake).
   */
  takeChanged(): HistoryBucket[] {
    const changed = this.buckets.filter((b) => this.changed.has(b.at));
    this.changed.clear();
    return structuredClone(changed);
  }

  toJSON(): HistoryJson {
    return { bucketMs: HISTORY_BUCKET_MS, buckets: structuredClone(this.buckets) };
  }

  private current(now: number): HistoryBucket {
    const at = now - (now % HISTORY_BUCKET_MS);
    const last = this.buckets[this.buckets.length - 1];
    // A late transition (stamped before the current minute began) goes to the minute it belongs to, if kept.
    if (last && at < last.at) return this.buckets.find((b) => b.at === at) ?? last;
    if (last?.at === at) return last;
    const bucket: HistoryBucket = { at, links: last ? { ...last.links } : ({} as Counts), reconnects: 0, events: 0 };
    this.buckets.push(bucket);
    this.changed.add(at);
    while (this.buckets.length > this.minutes + 1) this.changed.delete((this.buckets.shift() as HistoryBucket).at);
    return bucket;
  }
}
