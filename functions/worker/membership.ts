import { SNAPSHOT_VERSIONS } from '../../shared/domain';
import { WorkerConflictError, type WorkerRecord } from '../../shared/ports';
import { isStoreUnavailable } from '../../shared/adapters/dynamodb';
import type { WorkerDeps } from './deps';
import type { WorkerOptions } from './options';

export interface MembershipHooks {
  status(): { linkCount: number; draining: boolean };
  /** A peer could have taken our links over (our item is gone, or we were silent past the deadline): close every socket now. */
  onSelfFenced(reason: string): void;
  /** A peer's heartbeat stood still for a full lease and we removed it: take over its links. */
  onPeerDead(workerId: string): Promise<void>;
  /** The store answered a renewal again after being away this long: what waited for it can go now. */
  onStoreBack?(awayMs: number): void;
  /** Every look at the heartbeats (at start, then each heartbeat): the fleet's numbers, for rebalancing. */
  onFleet?(workers: WorkerRecord[]): void;
}

/** Time allowed for closing every socket once the worker fences itself (close handshakes are bounded). */
const MAX_CLOSE_ALLOWANCE_MS = 1_500;
/** The second retry of a failed renewal waits this long; each later one doubles, up to a heartbeat. */
const RETRY_BASE_MS = 100;

type RenewalOutcome = 'ok' | 'unavailable' | 'refused';

/**
 * Heartbeats and peer watching. Each worker renews only its own item (O(workers) writes). A peer
 * is dead when its counter has not moved for a full lease, measured on our own clock from when
 * we first saw that counter, so no clock synchronisation is needed.
 *
 * A takeover always starts by deleting the dead worker's item (conditionally, in the store), so
 * while the store is away nobody can take anything over, and once it answers our item says
 * whether anybody did. Hence: a renewal the store did not answer (unreachable, too slow,
 * throttled) is retried at once and then with backoff, and the sockets stay open; an item found
 * gone fences at once. The silence deadline (close everything before a peer could declare us
 * dead) applies only when the store answered and still refused, or when this process itself
 * stood still (paused, a blocked loop) with nothing to excuse it. See ARCHITECTURE.md, "Store outages".
 */
export class Membership {
  private counter = 0;
  /** When the last successful renewal was *issued*: peers cannot have seen it before then. */
  private renewedIssuedAt = 0;
  private readonly peers = new Map<string, { counter: number; since: number }>();
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private stopped = false;
  private fenced = false;
  /** What the last finished renewal found; 'unavailable' keeps the sockets open past the deadline. */
  private lastOutcome: RenewalOutcome = 'ok';
  /** A renewal is on its way to the store. */
  private renewing = false;
  /** When the deadline check last ran: a long gap means this process stood still. */
  private lastCheckAt = 0;
  /** Renewals failed in a row (the backoff's exponent). */
  private failures = 0;
  /** When the store stopped answering our renewals, while it does not. */
  private awaySince: number | undefined;
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

  /** Whether the store is answering our renewals (false while it is away). */
  get storeAnswers(): boolean {
    return this.lastOutcome !== 'unavailable';
  }

  /**
   * Registers, waiting for the store if it is away (a worker started during an outage waits
   * instead of exiting), then starts renewing. Rejects only on an answer that is not "later"
   * (no table, no access) or when stopped first.
   */
  async start(): Promise<void> {
    await this.register();
    // One look before the first write, so a fleet already on this release writes it at once.
    await this.deps.registry.list().then((workers) => {
      this.noteVersions(workers);
      this.hooks.onFleet?.(workers);
    }, (error) => this.deps.log.warn('first look at peers failed', { error }));
    if (this.stopped) return;
    this.running = true;
    this.scheduleHeartbeat(this.options.heartbeatMs);
    this.deadlineTimer = setInterval(() => this.checkDeadline(), Math.max(20, Math.floor(this.options.heartbeatMs / 2)));
    this.deadlineTimer.unref?.();
  }

  private async register(): Promise<void> {
    let firstIssuedAt: number | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw new Error('worker stopped before it could register');
      const now = this.deps.clock.now();
      firstIssuedAt ??= now;
      try {
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
        if (attempt > 1) this.deps.log.info('store answers; worker registered', { attempts: attempt });
        return;
      } catch (error) {
        // Our id is fresh per process: an item already there is an earlier attempt of ours that
        // landed while its answer was lost. Peers may have seen it since that attempt's issue.
        if (error instanceof WorkerConflictError && attempt > 1) {
          this.renewedIssuedAt = firstIssuedAt;
          return;
        }
        if (!isStoreUnavailable(error)) throw error;
        const waitMs = this.retryDelay(attempt);
        if (attempt === 1 || attempt % 10 === 0) this.deps.log.warn('store unreachable at start; waiting for it', { attempt, retryInMs: waitMs, error });
        await sleep(waitMs);
      }
    }
  }

  async stop(deregister: boolean): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.deadlineTimer) clearInterval(this.deadlineTimer);
    if (deregister && !this.fenced) await this.deps.registry.deregister(this.deps.workerId).catch(() => undefined);
  }

  /** Renews now (used when draining starts, so peers see it at once). */
  async renewNow(): Promise<void> {
    await this.renew();
  }

  private scheduleHeartbeat(delayMs: number): void {
    if (!this.running) return;
    const beat = async (): Promise<void> => {
      const issuedAt = this.deps.clock.now();
      const outcome = await this.renew();
      if (!this.running) return;
      if (outcome !== 'ok') return this.scheduleHeartbeat(this.retryDelay(this.failures));
      // Watching peers never delays the next renewal: a slow takeover must not fence us.
      void this.watchPeers().catch((error) => this.deps.log.warn('peer watch failed', { error }));
      // A heartbeat apart from the last *issue*: a slow store (seconds per call) must not stretch
      // the gap between renewals by its own latency, or a slow store alone would look like death.
      const next = this.options.heartbeatMs - (this.deps.clock.now() - issuedAt);
      if (next > 0) this.scheduleHeartbeat(next);
      else void beat();
    };
    this.heartbeatTimer = setTimeout(() => void beat(), delayMs);
    this.heartbeatTimer.unref?.();
  }

  /**
   * A failed renewal is retried at once, then after 100, 200, 400 ms… never more than a
   * heartbeat apart, so the moment the store answers again we learn within a heartbeat whether
   * a peer took anything. Jittered, so a fleet coming back does not renew in lockstep.
   */
  private retryDelay(failures: number): number {
    if (failures <= 1) return 0;
    const ceiling = Math.min(this.options.heartbeatMs, RETRY_BASE_MS * 2 ** (failures - 2));
    return Math.floor(ceiling / 2 + (this.deps.random() * ceiling) / 2);
  }

  private async renew(): Promise<RenewalOutcome | 'fenced'> {
    if (!this.running || this.fenced) return 'fenced';
    const issuedAt = this.deps.clock.now();
    this.renewing = true;
    try {
      const record = await this.deps.registry.heartbeat(this.deps.workerId, this.counter, this.hooks.status());
      this.counter = record.counter;
      this.renewedIssuedAt = issuedAt;
      this.settled('ok');
      return 'ok';
    } catch (error) {
      if (error instanceof WorkerConflictError) {
        if (error.currentCounter === undefined || error.currentCounter < this.counter) {
          this.fence('heartbeat item gone: presumed dead by a peer');
          return 'fenced';
        }
        // Our own renewal landed but its answer was lost (a timed-out call): carry on from it.
        this.counter = error.currentCounter;
        this.failures += 1;
        return 'unavailable';
      }
      this.failures += 1;
      if (isStoreUnavailable(error)) {
        if (this.lastOutcome !== 'unavailable') {
          this.awaySince = issuedAt;
          this.deps.log.warn('store unreachable: keeping every socket, delivering events, retrying the heartbeat', { error });
        }
        // What we saw of peers while blind proves nothing: their silence is counted afresh.
        this.peers.clear();
        this.lastOutcome = 'unavailable';
        return 'unavailable';
      }
      this.deps.log.warn('heartbeat renewal refused', { error });
      this.lastOutcome = 'refused';
      return 'refused';
    } finally {
      this.renewing = false;
    }
  }

  private settled(outcome: 'ok'): void {
    const away = this.awaySince;
    this.failures = 0;
    this.lastOutcome = outcome;
    this.awaySince = undefined;
    if (away === undefined) return;
    const awayMs = this.deps.clock.now() - away;
    this.deps.log.info('store answers again; our heartbeat item is intact, so no peer took anything', { awayMs });
    this.hooks.onStoreBack?.(awayMs);
  }

  private checkDeadline(): void {
    if (!this.running || this.fenced) return;
    const overdue = this.deps.clock.now() - this.renewedIssuedAt;
    // Peers act a full lease after they first saw our last counter, which is no earlier than when
    // we issued that renewal. Fence one heartbeat plus a close allowance before that, unless the
    // store is away: then no peer can act either (a takeover deletes our item first), and the
    // first renewal it answers tells us whether one did.
    const allowance = Math.min(MAX_CLOSE_ALLOWANCE_MS, this.options.heartbeatMs);
    const deadline = this.options.leaseMs - this.options.heartbeatMs - allowance;
    const now = this.deps.clock.now();
    // This process stood still (paused, a blocked loop) for as long as a peer needs to act.
    const stoodStill = this.lastCheckAt > 0 && now - this.lastCheckAt >= deadline;
    this.lastCheckAt = now;
    if (overdue < deadline) return;
    // The store did not answer the last renewal: no peer can act either; its next answer says
    // whether one did (see the class comment). A pause changes nothing about that.
    if (this.lastOutcome === 'unavailable') return;
    // A renewal in flight is bounded by the call timeout: wait for the store's word, unless this
    // process stood still, when whatever it would read next may already be a peer's.
    if (this.renewing && !stoodStill) return;
    this.fence(stoodStill ? `this process stood still for ${overdue} ms without renewing` : `heartbeat not renewed for ${overdue} ms`);
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
    // A worker the store does not answer cannot tell a silent peer from a store that drops its writes.
    if (!this.running || this.watching || this.lastOutcome !== 'ok') return;
    this.watching = true;
    try {
      await this.watchPeersOnce();
    } finally {
      this.watching = false;
    }
  }

  private async watchPeersOnce(): Promise<void> {
    let workers: WorkerRecord[];
    try {
      workers = await this.deps.registry.list();
    } catch (error) {
      this.peers.clear(); // blind for a while: silence is counted afresh
      throw error;
    }
    const now = this.deps.clock.now();
    const seen = new Set<string>();
    this.deps.metrics.put('LiveWorkers', workers.length);
    this.noteVersions(workers);
    this.hooks.onFleet?.(workers);
    for (const peer of workers) {
      if (peer.workerId === this.deps.workerId) continue;
      seen.add(peer.workerId);
      const known = this.peers.get(peer.workerId);
      if (!known || known.counter !== peer.counter) {
        this.peers.set(peer.workerId, { counter: peer.counter, since: now });
        continue;
      }
      if (now - known.since < peer.leaseMs || this.lastOutcome !== 'ok') continue;
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
