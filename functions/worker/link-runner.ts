import { FencedWriteError, type Fence, type LinkIdentity, type LinkRecord } from '../../shared/ports';
import type { ApplyEventOptions, ApplyEventResult } from '../../shared/app';
import { DEFAULT_POLICY, type LinkEvent } from '../../shared/domain';
import type { CloseCause, InboundEvent, SlackConnection } from './connection/types';
import { failedConnect, reportConnect } from './connect-task';
import type { WorkerDeps } from './deps';
import type { WorkerOptions } from './options';
import { openLinkSocket, type OpenedSocket } from './open-link-socket';
import { Serial } from './serial';

/** How long a retiring socket may stay open for its in-flight envelopes (Slack expects acks within 3 s). */
const RETIRE_GRACE_MS = 3_000;

/** A prepared socket nobody took within this long is closed. */
const PREPARED_TTL_MS = 10_000;

/** What a runner needs from its worker. */
export interface RunnerHost {
  deps: WorkerDeps;
  options: WorkerOptions;
  /** Applies an event to the runner's link and performs its effects as the socket's holder (`applyAndPerform`). */
  apply(runner: LinkRunner, event: LinkEvent, options: ApplyEventOptions): Promise<ApplyEventResult>;
  /** Resolves once the event was delivered and acked (or refused). */
  forward(runner: LinkRunner, connection: SlackConnection, event: InboundEvent): Promise<void>;
  /** The runner holds nothing any more: forget it. */
  release(runner: LinkRunner): void;
}

/**
 * One claimed link on this worker: its socket, its replacement during a refresh, and the
 * translation of what the socket reports into machine events, applied with this worker's fence.
 * Events are applied one at a time; at most one connect is in flight.
 */
export class LinkRunner {
  private primary: SlackConnection | undefined;
  /** Sockets replaced but not yet closed (created on the first refresh: most links never hold one). */
  private retiring: Set<SlackConnection> | undefined;
  private readonly serial = new Serial();
  private connecting = false;
  private replacing = false;
  private stopped = false;
  /** The in-place retry after a drop is spent until the link opens again. */
  private inPlaceUsed = false;
  private tokenVersion: number | undefined;
  /**
   * Events still on their way to the sink, per socket: a retiring socket stays open until they are
   * acked. Entries go when their last event is through, so an idle link holds no map at all.
   */
  private inflight: Map<SlackConnection, Set<Promise<void>>> | undefined;
  /** The primary closed while its replacement was opening: the replacement decides what that means. */
  private lostDuringReplace: CloseCause | undefined;
  /**
   * The link as our last claim or write returned it: the next event is stepped on it instead of
   * a fresh read (the write is conditional on its version, so a stale one costs a retry, not
   * correctness). Halves the store round trips of a connect.
   */
  private known: LinkRecord | undefined;
  /** A connect started ahead of the event that will ask for it (see `prepare`). */
  private prepared: Promise<OpenedSocket> | undefined;
  /** When the primary socket said hello. */
  private openedAt: number | undefined;

  constructor(
    private readonly host: RunnerHost,
    readonly identity: LinkIdentity,
    private fenceValue: Fence,
  ) {
    if ('version' in identity) this.known = identity as LinkRecord;
  }

  get id(): string {
    return this.identity.id;
  }

  get fence(): Fence {
    return this.fenceValue;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Sockets open now (2 during a make-before-break swap). */
  get openSockets(): number {
    return (this.primary?.isOpen ? 1 : 0) + [...(this.retiring ?? [])].filter((c) => c.isOpen).length;
  }

  get hasOpenSocket(): boolean {
    return this.primary?.isOpen === true;
  }

  /**
   * Opens the link's socket: fresh URL, wait for hello, OPENED. A second call while one is in
   * flight is dropped. With a task token (a workflow's connect command) the outcome goes back
   * through the Workflow port, and a failure is not applied here: the workflow's catch applies it.
   */
  async connect(taskToken?: string): Promise<void> {
    const { deps } = this.host;
    const abandoned = failedConnect('connect_abandoned');
    if (this.stopped || this.connecting || this.primary) {
      await reportConnect(deps, taskToken, abandoned, this.id);
      return;
    }
    this.connecting = true;
    try {
      const opened = await this.nextSocket();
      if ('error' in opened) {
        if (taskToken === undefined) {
          await this.handle({ type: 'CONNECT_FAILED', error: opened.error, ...opened.extra });
          return;
        }
        await this.stop('connect failed, reported to the workflow');
        await reportConnect(deps, taskToken, failedConnect(opened.error, opened.extra), this.id);
        return;
      }
      if (this.stopped) {
        await opened.connection.close('runner stopped');
        await reportConnect(deps, taskToken, abandoned, this.id);
        return;
      }
      this.primary = opened.connection;
      this.openedAt = Date.now();
      this.inPlaceUsed = false;
      await this.handle({ type: 'OPENED' });
      // Stopped here means OPENED could not be written (fenced, store error) or parked the link.
      await reportConnect(deps, taskToken, this.stopped ? abandoned : { ok: true }, this.id);
    } finally {
      this.connecting = false;
    }
  }

  /**
   * A drain hand-off, make-before-break: open our socket first, and only then claim the link
   * from the draining worker. If the claim loses, our socket goes and the drainer keeps its own.
   */
  async takeOver(claim: () => Promise<LinkRecord>): Promise<boolean> {
    const opened = await this.openSocket();
    if ('error' in opened) {
      await this.stop('hand-off connect failed');
      return false;
    }
    try {
      const link = await claim();
      this.fenceValue = { owner: this.fenceValue.owner, epoch: link.epoch };
      this.known = link;
    } catch (error) {
      this.host.deps.log.info('hand-off claim lost', { linkId: this.id, error });
      await opened.connection.close('hand-off lost');
      await this.stop('hand-off lost');
      return false;
    }
    this.primary = opened.connection;
    if (!opened.connection.isOpen) {
      this.primary = undefined;
      void this.handle({ type: 'DROPPED', reason: 'closed during hand-off' });
    }
    return true;
  }

  /** The first retry after a drop happens here and now, once; later ones go through the workflow. */
  tryInPlaceRetry(): boolean {
    if (this.inPlaceUsed || this.stopped) return false;
    this.inPlaceUsed = true;
    void this.handle({ type: 'RETRY' });
    return true;
  }

  /** Make-before-break: open a new socket, switch to it, then close the old one. */
  async replace(reason: string): Promise<void> {
    if (this.stopped || this.replacing || !this.primary) return;
    this.replacing = true;
    this.lostDuringReplace = undefined;
    try {
      const opened = await this.nextSocket();
      const lost = this.lostDuringReplace as CloseCause | undefined;
      if ('error' in opened) {
        if (lost) await this.dropped(lost);
        // The old socket still serves; the machine decides whether this failure matters.
        else await this.handle({ type: 'CONNECT_FAILED', error: opened.error, ...opened.extra });
        return;
      }
      const old = this.primary;
      if (this.stopped) {
        await opened.connection.close('runner stopped');
        return;
      }
      this.primary = opened.connection;
      this.openedAt = Date.now();
      this.host.deps.log.debug('socket replaced', { linkId: this.id, reason, oldClosedFirst: lost !== undefined });
      if (!old) return; // Slack closed the old one first: the new one simply takes over
      (this.retiring ??= new Set()).add(old);
      // Envelopes that arrived on the old socket are acked on it before it closes.
      await this.settle(old, RETIRE_GRACE_MS);
      await old.close(`replaced: ${reason}`);
      this.forgetInflight(old);
    } finally {
      this.replacing = false;
      this.lostDuringReplace = undefined;
    }
  }

  /** Close every socket and stop (parked, fenced out, handed off, or shutting down). */
  async stop(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const sockets = [this.primary, ...(this.retiring ?? [])].filter((c): c is SlackConnection => c !== undefined);
    this.primary = undefined;
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared) void prepared.then((o) => ('connection' in o ? o.connection.close(reason) : undefined));
    await Promise.all(sockets.map((c) => c.close(reason)));
    this.host.release(this);
  }

  /**
   * Applies an event with this worker's fence and performs its effects, one event at a time: the
   * next event is stepped only once this one's effects were performed.
   */
  async handle(event: LinkEvent): Promise<void> {
    if (this.stopped) return;
    const { deps } = this.host;
    let result;
    try {
      result = await this.serial.run(async () => {
        const applied = await this.host.apply(this, event, { fence: this.fenceValue, ...(this.known ? { known: this.known } : {}) });
        this.known = applied.link;
        return applied;
      });
    } catch (error) {
      this.known = undefined;
      if (error instanceof FencedWriteError) {
        deps.log.info('fenced out of link: another worker holds it now', { linkId: this.id });
        await this.stop('fenced');
        return;
      }
      deps.log.error('could not apply an event or perform its effects; the reconcile loop will repair the link', { linkId: this.id, event: event.type, error });
      await this.stop('store error');
      return;
    }
    // A link that left the held states without asking for a socket has nothing to hold here.
    if (result.link.state === 'inactive' || result.link.state === 'revoked') await this.stop(`parked: ${result.link.state}`);
  }

  private async openSocket(): Promise<OpenedSocket> {
    const opened = await openLinkSocket(this.host.deps, this.identity, (conn) => ({
      onEvent: (event) => this.track(conn(), this.host.forward(this, conn(), event)),
      onRefresh: (reason) => this.onRefresh(conn(), reason),
      onDisconnectNotice: (reason) => this.onDisconnectNotice(conn(), reason),
      onClose: (cause) => this.onClose(conn(), cause),
    }));
    if ('connection' in opened) this.tokenVersion = opened.tokenVersion;
    return opened;
  }

  /**
   * Starts the next socket now, while the event that asks for it is still being written: the
   * store round trips and the connect overlap instead of adding up. Only where the machine's
   * answer is certain (a refresh of an open link; the first drop of a stable one); a guess that
   * turns out wrong costs one socket, closed unused.
   */
  private prepare(): void {
    if (this.prepared || this.stopped) return;
    const prepared = this.openSocket();
    this.prepared = prepared;
    // Nobody took it (the machine decided otherwise): close it rather than hold a second socket.
    setTimeout(() => {
      if (this.prepared !== prepared) return;
      this.prepared = undefined;
      void prepared.then((o) => ('connection' in o ? o.connection.close('prepared socket unused') : undefined));
    }, PREPARED_TTL_MS).unref?.();
  }

  /** The prepared socket if it is still good, else a fresh attempt. */
  private async nextSocket(): Promise<OpenedSocket> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared) {
      const opened = await prepared;
      if (!('connection' in opened) || opened.connection.isOpen) return opened;
    }
    return this.openSocket();
  }

  private get stableOpen(): boolean {
    const stableOpenMs = this.host.options.policy?.stableOpenMs ?? DEFAULT_POLICY.stableOpenMs;
    return this.openedAt !== undefined && Date.now() - this.openedAt >= stableOpenMs;
  }

  private track(connection: SlackConnection, delivery: Promise<void>): void {
    const inflight = (this.inflight ??= new Map());
    let pending = inflight.get(connection);
    if (!pending) inflight.set(connection, (pending = new Set()));
    pending.add(delivery);
    void delivery.finally(() => {
      pending.delete(delivery);
      if (pending.size === 0 && this.inflight?.get(connection) === pending) this.forgetInflight(connection);
    });
  }

  private forgetInflight(connection: SlackConnection): void {
    this.inflight?.delete(connection);
    if (this.inflight?.size === 0) this.inflight = undefined;
  }

  /** Waits until no event is in flight on the socket, or the grace period ends. */
  private async settle(connection: SlackConnection, graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    for (let pending = this.inflight?.get(connection); pending && pending.size > 0 && Date.now() < deadline; ) {
      const left = deadline - Date.now();
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, left))]);
    }
  }

  private onClose(connection: SlackConnection, cause: CloseCause): void {
    this.forgetInflight(connection);
    const wasRetiring = this.retiring?.delete(connection) === true;
    if (this.retiring?.size === 0) this.retiring = undefined;
    if (wasRetiring || connection !== this.primary) return;
    this.primary = undefined;
    if (cause.kind === 'local') return;
    if (cause.kind === 'dead') this.host.deps.metrics.put('TimeToDetectMs', cause.silentForMs, { Protocol: this.identity.protocol });
    // Slack often closes the old socket before the replacement's hello: not a drop if it opens.
    if (this.replacing) {
      this.lostDuringReplace = cause;
      return;
    }
    // The machine retries a stable link's first drop at once: start that connect now.
    if (!this.inPlaceUsed && this.stableOpen) this.prepare();
    void this.dropped(cause);
  }

  private dropped(cause: CloseCause): Promise<void> {
    if (cause.kind === 'dead') return this.handle({ type: 'DROPPED', reason: 'dead_socket' });
    if (cause.kind === 'local') return Promise.resolve();
    return this.handle({ type: 'DROPPED', code: cause.code, ...(cause.reason ? { reason: cause.reason } : {}) });
  }

  private onRefresh(connection: SlackConnection, reason: string): void {
    if (connection !== this.primary) return; // the retiring socket saying goodbye: already replaced
    // An open link always answers REFRESH with replaceSocket: ask for the new URL right away, so
    // Slack queues events for it while the old socket is winding down.
    if (!this.replacing) this.prepare();
    void this.handle({ type: 'REFRESH', reason });
  }

  private onDisconnectNotice(connection: SlackConnection, reason: string): void {
    const { deps } = this.host;
    if (reason === 'link_disabled') {
      void this.handle({ type: 'DISABLED', reason });
      return;
    }
    // too_many_websockets (and unknown reasons): Slack will close this socket. Not fatal, not a
    // refresh: the close arrives as DROPPED, and a short-lived socket counts as a flap, so the
    // machine backs off instead of looping.
    deps.log.warn('Socket Mode disconnect notice', { linkId: this.id, reason, retiring: connection !== this.primary });
    deps.metrics.put('UnknownSlackErrors', reason === 'too_many_websockets' ? 0 : 1, { Code: reason });
  }

  /** The token version of the socket held now. */
  get currentTokenVersion(): number | undefined {
    return this.tokenVersion;
  }
}
