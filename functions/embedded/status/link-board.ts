import { LINK_STATES, type LinkStateName } from '../../../shared/domain';
import { allLinksIn, rowOf, type LinkRow } from '../../../shared/app';
import type { LinkRecord, LinkStore, Logger } from '../../../shared/ports';

export type { LinkRow };

export interface Transition {
  at: number;
  linkId: string;
  from: LinkStateName | null;
  to: LinkStateName;
  lastError?: string;
  owner?: string;
}

export type Counts = Record<LinkStateName, number>;

export interface BoardListener {
  onTransition?(transition: Transition): void;
  /** Any change a row shows (state, owner, attempt, error). */
  onRow?(row: LinkRow): void;
}

export interface LinkBoardOptions {
  links: LinkStore;
  log: Logger;
  /** How often written links are re-read, in a batch. Default 250 ms. */
  flushMs?: number;
  /** A full re-read as a safety net (a missed write notice). Default 60,000. */
  resyncMs?: number;
}

/**
 * Every link's row, kept current from write notices (`touched(linkId)`): the store's writes are
 * tapped, so each flush re-reads only the links written since the last one, O(changes) rather
 * than O(links) per poll. Transitions (a state that changed) go to listeners for the live feed.
 */
export class LinkBoard {
  private readonly rows = new Map<string, LinkRow>();
  private readonly dirty = new Set<string>();
  /** The store version and epoch each row was made from: a late notice of an older write must not win. */
  private readonly versions = new Map<string, { version: number; epoch: number }>();
  private readonly listeners = new Set<BoardListener>();
  private readonly recent: Transition[] = [];
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private flushing = false;

  constructor(private readonly options: LinkBoardOptions) {}

  async start(): Promise<void> {
    await this.resync();
    this.flushTimer = setInterval(() => void this.flush(), this.options.flushMs ?? 250);
    this.resyncTimer = setInterval(() => void this.resync().catch((error: unknown) => this.options.log.warn('status resync failed', { error })), this.options.resyncMs ?? 60_000);
  }

  stop(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  /** A link was written; it is re-read at the next flush. */
  touched(linkId: string): void {
    this.dirty.add(linkId);
  }

  /**
   * A link was written and the write carried the new item: no need to read it back. During a
   * failover or a storm every link is written several times, and re-reading each would double
   * the store's load in the very process that serves the store.
   */
  written(link: LinkRecord): void {
    this.update(link);
  }

  subscribe(listener: BoardListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  counts(): Counts {
    const counts = Object.fromEntries(LINK_STATES.map((state) => [state, 0])) as Counts;
    for (const row of this.rows.values()) counts[row.state] += 1;
    return counts;
  }

  list(filter: { state?: LinkStateName; teamId?: string } = {}): LinkRow[] {
    return [...this.rows.values()].filter((row) => (!filter.state || row.state === filter.state) && (!filter.teamId || row.teamId === filter.teamId));
  }

  row(linkId: string): LinkRow | undefined {
    return this.rows.get(linkId);
  }

  /** The last transitions, newest last. */
  recentTransitions(): Transition[] {
    return [...this.recent];
  }

  /**
   * Re-reads the links written since the last flush and reports what changed. A read that fails
   * (the store busy in a storm) leaves its link for the next flush: dropped, the row kept its old
   * state until the resync a minute later.
   */
  async flush(): Promise<void> {
    if (this.flushing || this.dirty.size === 0) return;
    this.flushing = true;
    const ids = [...this.dirty];
    this.dirty.clear();
    const reread = async (id: string) => {
      const link = await this.options.links.get(id).catch(() => {
        this.dirty.add(id);
        return undefined;
      });
      if (link) this.update(link);
    };
    try {
      for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map(reread));
    } finally {
      this.flushing = false;
    }
  }

  private async resync(): Promise<void> {
    for (const link of await allLinksIn(this.options.links, LINK_STATES)) this.update(link);
  }

  private update(link: LinkRecord): void {
    // Saves grow the version, claims the epoch (a claim keeps the version).
    const known = this.versions.get(link.id);
    if (known && (link.version < known.version || (link.version === known.version && link.epoch < known.epoch))) return;
    this.versions.set(link.id, { version: link.version, epoch: link.epoch });
    const row = rowOf(link);
    const before = this.rows.get(row.id);
    this.rows.set(row.id, row);
    if (before && JSON.stringify(before) === JSON.stringify(row)) return;
    for (const listener of this.listeners) listener.onRow?.(row);
    if (before?.state === row.state) return;
    const transition: Transition = {
      at: Date.now(),
      linkId: row.id,
      from: before?.state ?? null,
      to: row.state,
      ...(row.lastError !== undefined ? { lastError: row.lastError } : {}),
      ...(row.owner !== undefined ? { owner: row.owner } : {}),
    };
    this.recent.push(transition);
    if (this.recent.length > 200) this.recent.shift();
    for (const listener of this.listeners) listener.onTransition?.(transition);
  }
}
