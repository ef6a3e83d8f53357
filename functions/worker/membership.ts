import { SNAPSHOT_VERSIONS } from '../../shared/domain';
import { WorkerConflictError, type WorkerRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';
import type { WorkerOptions } from './options';

export interface MembershipHooks {
  status(): { linkCount: number; draining: boolean };
  /** Our own heartbeat could not be renewed in time: close every socket now. */
  onSelfFenced(reason: string): void;
  /** A peer's heartbeat stood still for a full lease and we removed it: take over its links. */
  onPeerDead(workerId: string): Promise<void>;
}

/** Time allowed for closing every socket once the worker fences itself (close handshakes are bounded). */
const MAX_CLOSE_ALLOWANCE_MS = 1_500;

/**
 * Heartbeats and peer watching. Each worker renews only its own item (O(workers) writes). A peer
 * is dead when its counter has not moved for a full lease, measured on our own clock from when
 * we first saw that counter, so no clock synchronisation is needed. The mirror rule keeps two
 * workers from holding a link for long: a worker whose renewals stop succeeding fences itself
 * (closes its sockets) before any peer could have declared it dead.
 */
export class Membership {
  private counter = 0;
  /** When the last successful renewal was *issued*: peers cannot have seen it before then. */
  private renewedIssuedAt = 0;
  private readonly peers = new Map<string, { counter: number; since: number }>();
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private fenced = false;
  /** The lowest snapshot version among live workers at the last look; until the first look, the safe one. */
  private lowestLiveVersion: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
    private readonly hooks: MembershipHooks,
  ) {
    this.lowestLiveVersion = this.versions.previous;
  }

  private get versions() {
    return this.options.versions ?? SNAPSHOT_VERSIONS;
  }

  /**
   * The snapshot version to write: this release's only once every live heartbeat says it reads
   * it; until then (a rolling deploy, or before the first look) the previous one, which both read.
   */
  writeVersion(): number {
    return Math.min(this.versions.current, Math.max(this.versions.previous, this.lowestLiveVersion));
  }

  async start(): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.registry.register({
      workerId: this.deps.workerId,
      counter: 0,
      leaseMs: this.options.leaseMs,
      capacity: this.options.capacity,
      linkCount: 0,
      draining: false,
      startedAt: now,
      machineVersion: this.versions.current,
    });
    this.renewedIssuedAt = now;
    // One look before the first write, so a fleet already on this release writes it at once.
    await this.deps.registry.list().then((workers) => this.noteVersions(workers), (error) => this.deps.log.warn('first look at peers failed', { error }));
    this.running = true;
    this.scheduleHeartbeat();
    this.deadlineTimer = setInterval(() => this.checkDeadline(), Math.max(20, Math.floor(this.options.heartbeatMs / 2)));
    this.deadlineTimer.unref?.();
  }

  async stop(deregister: boolean): Promise<void> {
    this.running = false;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.deadlineTimer) clearInterval(this.deadlineTimer);
    if (deregister && !this.fenced) await this.deps.registry.deregister(this.deps.workerId).catch(() => undefined);
  }

  /** Renews now (used when draining starts, so peers see it at once). */
  async renewNow(): Promise<void> {
    await this.renew();
  }

  private scheduleHeartbeat(): void {
    if (!this.running) return;
    this.heartbeatTimer = setTimeout(async () => {
      await this.renew();
      // Watching peers never delays the next renewal: a slow takeover must not fence us.
      void this.watchPeers().catch((error) => this.deps.log.warn('peer watch failed', { error }));
      this.scheduleHeartbeat();
    }, this.options.heartbeatMs);
    this.heartbeatTimer.unref?.();
  }

  private async renew(): Promise<void> {
    if (!this.running || this.fenced) return;
    const issuedAt = this.deps.clock.now();
    try {
      const record = await this.deps.registry.heartbeat(this.deps.workerId, this.counter, this.hooks.status());
      this.counter = record.counter;
      this.renewedIssuedAt = issuedAt;
    } catch (error) {
      if (error instanceof WorkerConflictError) return this.fence('heartbeat item gone or moved: presumed dead by a peer');
      this.deps.log.warn('heartbeat renewal failed', { error });
    }
  }

  private checkDeadline(): void {
    if (!this.running || this.fenced) return;
    const overdue = this.deps.clock.now() - this.renewedIssuedAt;
    // Peers act a full lease after they first saw our last counter, which is no earlier than when
    // we issued that renewal. Fence one heartbeat plus a close allowance before that.
    const allowance = Math.min(MAX_CLOSE_ALLOWANCE_MS, this.options.heartbeatMs);
    if (overdue >= this.options.leaseMs - this.options.heartbeatMs - allowance) {
      this.fence(`heartbeat not renewed for ${overdue} ms`);
    }
  }

  private fence(reason: string): void {
    if (this.fenced) return;
    this.fenced = true;
    this.running = false;
    this.deps.log.error('worker fenced itself', { reason });
    this.hooks.onSelfFenced(reason);
  }

  private watching = false;

  /** Every listed worker counts, the presumed dead too, until its item is removed: the safe side. */
  private noteVersions(workers: WorkerRecord[]): void {
    const lowest = Math.min(this.versions.current, ...workers.map((w) => w.machineVersion ?? 1));
    if (lowest === this.lowestLiveVersion) return;
    this.lowestLiveVersion = lowest;
    if (lowest < this.versions.previous) {
      // A deploy skipped a release: that worker cannot read what this one writes. Said once per change.
      this.deps.log.warn('a live worker runs a release more than one version back; writing the oldest version this release can', { lowest, writing: this.versions.previous });
    } else {
      this.deps.log.info('snapshot write version', { lowestLive: lowest, writing: this.writeVersion() });
    }
  }

  private async watchPeers(): Promise<void> {
    if (!this.running || this.watching) return;
    this.watching = true;
    try {
      await this.watchPeersOnce();
    } finally {
      this.watching = false;
    }
  }

  private async watchPeersOnce(): Promise<void> {
    const now = this.deps.clock.now();
    const workers = await this.deps.registry.list();
    const seen = new Set<string>();
    this.deps.metrics.put('LiveWorkers', workers.length);
    this.noteVersions(workers);
    for (const peer of workers) {
      if (peer.workerId === this.deps.workerId) continue;
      seen.add(peer.workerId);
      const known = this.peers.get(peer.workerId);
      if (!known || known.counter !== peer.counter) {
        this.peers.set(peer.workerId, { counter: peer.counter, since: now });
        continue;
      }
      if (now - known.since < peer.leaseMs) continue;
      // Conditional on the counter we watched: if it moved meanwhile, the peer lives.
      if (await this.deps.registry.removeIfUnchanged(peer.workerId, peer.counter)) {
        this.peers.delete(peer.workerId);
        this.deps.log.warn('peer presumed dead; taking over its links', { peer: peer.workerId, silentMs: now - known.since });
        void this.hooks.onPeerDead(peer.workerId).catch((error) => this.deps.log.error('takeover failed', { peer: peer.workerId, error }));
      }
    }
    for (const id of this.peers.keys()) if (!seen.has(id)) this.peers.delete(id);
  }
}
