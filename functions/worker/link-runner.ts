import { FencedWriteError, type Fence, type LinkIdentity, type LinkRecord } from '../../shared/ports';
import { isStoreUnavailable } from '../../shared/adapters/dynamodb';
import type { ApplyEventOptions, ApplyEventResult } from '../../shared/app';
import { classifySlackFailure, disconnectNoticeEvent, isParked, isStableOpen, type LinkEvent } from '../../shared/domain';
import type { CloseCause, InboundEvent, SlackConnection } from './connection/types';
import type { AttemptVerdict, ConnectGate } from './connect-gate';
import { failedConnect, reportConnect } from './connect-task';
import type { WorkerDeps } from './deps';
import { InFlight, settle } from './in-flight';
import type { WorkerOptions } from './options';
import { EarlySocketNotes } from './early-socket-notes';
import { resumeLandedWrite } from './landed-write';
import { openLinkSocket, type OpenedSocket } from './open-link-socket';
import { closePrepared, prepareSocket, preparedOrFresh } from './prepared-socket';
import { Serial } from './serial';
import {
  CONNECTING,
  DOWN,
  downWith,
  openOn,
  preparedIn,
  servingSocket,
  STOPPED,
  type PreparedSocket,
  type SocketPhase,
} from './socket-phase';

/**
 * Which path of the runner asked Slack for a socket URL (`rtm.connect` / `apps.connections.open`,
 * Tier 1 per workspace): logged at debug with each attempt's outcome, so a storm's 429s can be
 * traced to the paths that spent the workspace's calls (`bench/embedded/storm.ts`).
 */
export type ConnectPath = 'workflow' | 'intake' | 'register' | 'effect' | 'landed' | 'prepared-drop' | 'prepared-refresh' | 'replace' | 'handoff';

/**
 * What an attempt says about Slack's load, for the connect gate: an answer, even an error, is
 * room; no answer in time (or no hello) is load. A refused or reset connection says Slack is
 * down, not slow: no news (a restart's storm would otherwise cut the bound just as every link
 * reconnects).
 */
function loadVerdict(opened: OpenedSocket): AttemptVerdict | undefined {
  if ('connection' in opened) return 'answered';
  if (opened.error === 'hello_timeout' || opened.error === 'ETIMEDOUT') return 'overloaded';
  return opened.unanswered ? undefined : 'answered';
}

/** What an attempt cancelled at the connect gate returns: Slack was never asked. */
const NOT_ATTEMPTED: OpenedSocket = Object.freeze({ error: 'connect_abandoned', extra: {}, unanswered: true });

/** How long a retiring socket may stay open for its in-flight envelopes (Slack expects acks within 3 s). */
const RETIRE_GRACE_MS = 3_000;

/** What a runner needs from its worker: its ports (the clock among them) and the machine's policy. */
export interface RunnerHost {
  deps: WorkerDeps;
  options: Pick<WorkerOptions, 'policy' | 'preparedTtlMs'>;
  /** The worker's bound on connect attempts in flight: every socket this runner opens waits its turn there. */
  connectGate: ConnectGate;
  /** Applies an event to the runner's link and performs its effects as the socket's holder (`applyAndPerform`). */
  apply(runner: LinkRunner, event: LinkEvent, options: ApplyEventOptions): Promise<ApplyEventResult>;
  /** Resolves once the event was delivered and acked (or refused). */
  forward(runner: LinkRunner, connection: SlackConnection, event: InboundEvent): Promise<void>;
  /** The runner holds nothing any more: forget it. */
  release(runner: LinkRunner): void;
  /** The runner let go of a link whose write the store did not answer: repair it once the store answers. */
  repairWhenStoreAnswers(linkId: string, fence: Fence): void;
  /** Performs the retry the link's record plans, as the write that planned it would have. */
  resumeRetry(runner: LinkRunner, link: LinkRecord): Promise<void>;
}

/**
 * One claimed link on this worker: its socket (in the phases of `socket-phase.ts`), and the
 * translation of what the socket reports into machine events, applied with this worker's fence.
 * Events are applied one at a time; at most one connect is in flight (`connecting` or `replacing`).
 */
export class LinkRunner {
  private phase: SocketPhase = DOWN;
  private readonly serial = new Serial();
  /** Prepared sockets closed unused: one still waiting at the connect gate is never attempted. */
  private discarded: WeakSet<PreparedSocket> | undefined;
  /** Events handed to `serial` and not yet applied and performed (the machine's answer is still coming). */
  private applying = 0;
  /** The in-place retry after a drop is spent until the link opens again. */
  private inPlaceUsed = false;
  private tokenVersion: number | undefined;
  /** When this runner last asked Slack for a socket URL (a Tier 1 call), on the worker's clock. */
  private lastConnectAtValue: number | undefined;
  /** Sockets replaced but not yet closed (created on the first refresh: most links never hold one). */
  private retiring: Set<SlackConnection> | undefined;
  /** Events on their way to the sink, per socket; only while there are any. */
  private inflight: InFlight | undefined;
  /** What a socket being adopted said before the switch (see `adopt`). */
  private readonly early = new EarlySocketNotes();
  /**
   * The link as our last claim or write returned it: the next event is stepped on it instead of
   * a fresh read (the write is conditional on its version, so a stale one costs a retry, not
   * correctness). Halves the store round trips of a connect.
   */
  private known: LinkRecord | undefined;

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

  /** The socket's phase (tests, logs, `resumeLandedWrite`). */
  get socketPhase(): SocketPhase['is'] {
    return this.phase.is;
  }

  get isStopped(): boolean {
    return this.phase.is === 'stopped';
  }

  /** Sockets open now (2 during a make-before-break swap). */
  get openSockets(): number {
    return (this.hasOpenSocket ? 1 : 0) + [...(this.retiring ?? [])].filter((c) => c.isOpen).length;
  }

  get hasOpenSocket(): boolean {
    return servingSocket(this.phase)?.isOpen === true;
  }

  get lastConnectAt(): number | undefined {
    return this.lastConnectAtValue;
  }

  /** The token version of the socket held now. */
  get currentTokenVersion(): number | undefined {
    return this.tokenVersion;
  }

  /**
   * down → connecting → open: fresh URL, wait for hello, OPENED. Any other phase already has a socket
   * or a connect in flight: dropped. With a task token (a workflow's connect command) the outcome
   * goes back through the Workflow port, and a failure is left to the workflow's catch.
   */
  async connect(taskToken?: string, path: ConnectPath = taskToken === undefined ? 'effect' : 'workflow'): Promise<void> {
    const { deps } = this.host;
    const abandoned = failedConnect('connect_abandoned');
    const from = this.phase;
    if (from.is !== 'down') {
      await reportConnect(deps, taskToken, abandoned, this.id);
      return;
    }
    this.phase = CONNECTING;
    const opened = await preparedOrFresh(from.next, () => this.openSocket(path));
    if (this.isStopped) {
      if ('connection' in opened) await opened.connection.close('runner stopped');
      await reportConnect(deps, taskToken, abandoned, this.id);
      return;
    }
    if ('error' in opened) {
      this.phase = DOWN;
      if (taskToken === undefined) {
        await this.handle({ type: 'CONNECT_FAILED', error: opened.error, ...opened.extra });
        return;
      }
      await this.stop('connect failed, reported to the workflow');
      await reportConnect(deps, taskToken, failedConnect(opened.error, opened.extra), this.id);
      return;
    }
    this.phase = openOn(opened.connection);
    this.inPlaceUsed = false;
    // OPENED is queued first, so whatever the socket said before we switched to it comes after.
    const written = this.handle({ type: 'OPENED' });
    this.adopt(opened.connection);
    await written;
    // Stopped here means OPENED could not be written (fenced, store error) or parked the link.
    await reportConnect(deps, taskToken, this.isStopped ? abandoned : { ok: true }, this.id);
  }

  /**
   * A drain hand-off, make-before-break: open our socket first (connecting), then claim the link
   * from the draining worker. If the claim loses, our socket goes and the drainer keeps its own.
   */
  async takeOver(claim: () => Promise<LinkRecord>): Promise<boolean> {
    if (this.phase.is !== 'down') return false;
    this.phase = CONNECTING;
    const opened = await this.openSocket('handoff');
    if ('error' in opened) {
      await this.stop('hand-off connect failed');
      return false;
    }
    let link: LinkRecord;
    try {
      link = await claim();
    } catch (error) {
      this.host.deps.log.info('hand-off claim lost', { linkId: this.id, error });
      await this.giveUp(opened.connection, 'hand-off lost');
      return false;
    }
    return this.serveClaimed(opened.connection, link, 'closed during hand-off');
  }

  /**
   * A registration from nothing, socket first as a hand-off: open the socket, then write the link
   * into being already open and ours (`create(true)`): one store write where claiming first took
   * two (the create, then OPENED). A connect that failed creates it `connecting` and ours
   * (`create(false)`) and applies the failure as any connect does. A create that is refused (the
   * link exists) or not answered is thrown, our socket closed and nothing held: the link is
   * another writer's, or the command's to retry. False if the runner stopped meanwhile.
   */
  async register(create: (opened: boolean) => Promise<LinkRecord>): Promise<boolean> {
    if (this.phase.is !== 'down') return false;
    this.phase = CONNECTING;
    const opened = await this.openSocket('register');
    if (this.isStopped) {
      if ('connection' in opened) await opened.connection.close('runner stopped');
      return false;
    }
    let link: LinkRecord;
    try {
      link = await create(!('error' in opened));
    } catch (error) {
      await this.giveUp('connection' in opened ? opened.connection : undefined, 'registration not written');
      throw error;
    }
    if ('connection' in opened) return this.serveClaimed(opened.connection, link, 'closed during registration');
    this.claimedAs(link);
    this.phase = DOWN;
    void this.handle({ type: 'CONNECT_FAILED', error: opened.error, ...opened.extra });
    return true;
  }

  private claimedAs(link: LinkRecord): void {
    this.fenceValue = { owner: this.fenceValue.owner, epoch: link.epoch };
    this.known = link;
  }

  private async giveUp(connection: SlackConnection | undefined, reason: string): Promise<void> {
    await connection?.close(reason);
    await this.stop(reason);
  }

  /** Our socket opened before the write that made the link ours (a hand-off's claim, a registration's create): serve on it now. */
  private async serveClaimed(connection: SlackConnection, link: LinkRecord, closedReason: string): Promise<boolean> {
    this.claimedAs(link);
    if (this.isStopped) {
      await connection.close('runner stopped');
      return false;
    }
    if (!connection.isOpen) {
      this.phase = DOWN;
      void this.handle({ type: 'DROPPED', reason: closedReason });
      return true;
    }
    this.phase = openOn(connection);
    this.adopt(connection);
    return true;
  }

  /** The first retry after a drop happens here and now, once; later ones go through the workflow. */
  tryInPlaceRetry(): boolean {
    if (this.inPlaceUsed || this.isStopped) return false;
    this.inPlaceUsed = true;
    void this.handle({ type: 'RETRY' });
    return true;
  }

  /**
   * open → replacing → open, make-before-break: open a new socket, switch to it, then retire the
   * old one once its in-flight envelopes are acked (at most `RETIRE_GRACE_MS`).
   */
  async replace(reason: string): Promise<void> {
    const from = this.phase;
    if (from.is !== 'open') return;
    this.phase = { is: 'replacing', socket: from.socket };
    const opened = await preparedOrFresh(from.next, () => this.openSocket('replace'));
    const now = this.phase;
    if (now.is !== 'replacing') {
      if ('connection' in opened) await opened.connection.close('runner stopped');
      return;
    }
    const { socket: old, lost } = now;
    if ('error' in opened) {
      this.phase = old ? openOn(old) : DOWN;
      if (lost) await this.dropped(lost);
      // The old socket still serves; the machine decides whether this failure matters.
      else await this.handle({ type: 'CONNECT_FAILED', error: opened.error, ...opened.extra });
      return;
    }
    this.phase = openOn(opened.connection);
    this.adopt(opened.connection);
    this.host.deps.log.debug('socket replaced', { linkId: this.id, reason, oldClosedFirst: lost !== undefined });
    if (!old) return; // Slack closed the old one first: the new one simply takes over
    (this.retiring ??= new Set()).add(old);
    // Envelopes that arrived on the old socket are acked on it before it closes.
    await settle(() => this.inflight?.on(old), RETIRE_GRACE_MS);
    await old.close(`replaced: ${reason}`);
    this.inflight?.forget(old);
  }

  /** any → stopped: close every socket (parked, fenced out, handed off, or shutting down). */
  async stop(reason: string): Promise<void> {
    const from = this.phase;
    if (from.is === 'stopped') return;
    this.phase = STOPPED;
    this.early.clear();
    const prepared = preparedIn(from);
    if (prepared) closePrepared(prepared, reason);
    const sockets = [servingSocket(from), ...(this.retiring ?? [])].filter((c): c is SlackConnection => c !== undefined);
    await Promise.all(sockets.map((c) => c.close(reason)));
    this.host.release(this);
  }

  /**
   * Applies an event with this worker's fence and performs its effects, one event at a time: the
   * next event is stepped only once this one's effects were performed.
   */
  async handle(event: LinkEvent): Promise<void> {
    if (this.isStopped) return;
    const { deps } = this.host;
    let result;
    this.applying += 1;
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
      if (isStoreUnavailable(error) && this.hasOpenSocket) {
        // The store is away, not saying no: a socket that still serves stays open (degrade, don't
        // drop). The event is not applied; the socket is the truth until the store answers.
        deps.log.warn('store unavailable: event not applied, socket kept', { linkId: this.id, event: event.type, error });
        return;
      }
      if (isStoreUnavailable(error)) {
        // No socket to keep, and the store did not answer: whether the write landed is unknown, and
        // if it did its effects (the retry) were never performed. Left to reconcile's quiet lease
        // this cost a storm 60-80 s per link whose DROPPED timed out: let go now, and the worker
        // repairs it (OWNER_LOST, the workflow reconnects) the moment the store answers.
        deps.log.warn('store unavailable: link let go, repaired when the store answers', { linkId: this.id, event: event.type, error });
        const fence = this.fenceValue;
        await this.stop('store unavailable');
        this.host.repairWhenStoreAnswers(this.id, fence);
        return;
      }
      deps.log.error('could not apply an event or perform its effects; the reconcile loop will repair the link', { linkId: this.id, event: event.type, error });
      await this.stop('store error');
      return;
    } finally {
      this.applying -= 1;
    }
    // A link that left the held states without asking for a socket has nothing to hold here.
    if (isParked(result.link.state)) await this.stop(`parked: ${result.link.state}`);
    else if (!result.changed) await resumeLandedWrite(this, event, result.link, (link) => this.host.resumeRetry(this, link));
  }

  /** One attempt, in its turn at the worker's connect gate; none if the runner stopped or `cancelled()` by then. */
  private async openSocket(path: ConnectPath, cancelled: () => boolean = () => false): Promise<OpenedSocket> {
    const { deps } = this.host;
    const attempt = await this.host.connectGate.run(
      async () => ({
        startedAt: deps.clock.now(),
        opened: await openLinkSocket(deps, this.identity, (conn) => ({
          onEvent: (event) => this.track(conn(), this.host.forward(this, conn(), event)),
          onRefresh: (reason) => this.onRefresh(conn(), reason),
          onDisconnectNotice: (reason) => this.onDisconnectNotice(conn(), reason),
          onClose: (cause) => this.onClose(conn(), cause),
        })),
      }),
      () => this.isStopped || cancelled(),
      ({ opened }) => loadVerdict(opened),
    );
    if (!attempt) return NOT_ATTEMPTED;
    const { startedAt, opened } = attempt;
    this.lastConnectAtValue = startedAt;
    if ('connection' in opened) this.tokenVersion = opened.tokenVersion;
    deps.log.debug('connect attempt', {
      linkId: this.id, path, epoch: this.fenceValue.epoch, startedAt, ms: deps.clock.now() - startedAt,
      ...('error' in opened ? { error: opened.error, ...opened.extra, ...(opened.unanswered ? { unanswered: true } : {}) } : { ok: true }),
    });
    return opened;
  }

  /** The next socket, started ahead (`prepared-socket.ts`). */
  private prepare(path: ConnectPath): PreparedSocket {
    // Read only once the attempt's turn comes at the gate, by when `prepared` is set.
    const discarded = (): boolean => this.discarded?.has(prepared) === true;
    const prepared: PreparedSocket = prepareSocket(() => this.openSocket(path, discarded), (unused) => this.discardUnused(unused), this.host.options.preparedTtlMs);
    return prepared;
  }

  /**
   * Nobody took the prepared socket (the machine decided otherwise): close it rather than hold a
   * second one. Not while an event of the link is still being applied: the machine has not
   * answered yet, and in a storm the store takes longer than the TTL to write a DROPPED. Closing
   * it then made the retry that followed call Slack again, two `rtm.connect` per workspace for
   * one drop (every workspace of a 2,000-link storm on a loaded machine), half of Tier 1's burst.
   */
  private discardUnused(prepared: PreparedSocket): void {
    const phase = this.phase;
    if (preparedIn(phase) !== prepared) return;
    if (this.applying > 0) {
      setTimeout(() => this.discardUnused(prepared), this.host.options.preparedTtlMs).unref?.();
      return;
    }
    this.phase = phase.is === 'open' ? openOn(phase.socket) : DOWN;
    (this.discarded ??= new WeakSet()).add(prepared);
    closePrepared(prepared, 'prepared socket unused');
  }

  /**
   * Whether the machine will answer a drop now with a retry done here: the in-place retry is
   * unspent and, by the machine's own rule on the record it will step, the link was stably open.
   */
  private retriesAtOnce(): boolean {
    const link = this.known;
    if (this.inPlaceUsed || link?.state !== 'open') return false;
    return isStableOpen(link.snapshot.context.openedAt, this.host.deps.clock.now(), this.host.options.policy);
  }

  /** The runner now serves on `connection`: what it said before the switch is acted on now (`early-socket-notes.ts`). */
  private adopt(connection: SlackConnection): void {
    const early = this.early.take(connection);
    if (early?.lost) this.onClose(connection, early.lost);
    else if (early?.refresh !== undefined) this.onRefresh(connection, early.refresh);
  }

  private track(connection: SlackConnection, delivery: Promise<void>): void {
    const inflight = (this.inflight ??= new InFlight());
    void inflight.add(connection, delivery).then(() => {
      if (this.inflight?.isEmpty) this.inflight = undefined;
    });
  }

  private onClose(connection: SlackConnection, cause: CloseCause): void {
    this.inflight?.forget(connection);
    if (this.inflight?.isEmpty) this.inflight = undefined;
    if (this.retiring?.delete(connection)) {
      if (this.retiring.size === 0) this.retiring = undefined;
      return;
    }
    const phase = this.phase;
    if ((phase.is !== 'open' && phase.is !== 'replacing') || phase.socket !== connection) {
      // Not adopted yet (its connect is finishing): acted on once it is. Our own close of an
      // unused socket is no news.
      if (cause.kind !== 'local' && !this.isStopped) this.early.note(connection, { lost: cause });
      return;
    }
    if (cause.kind === 'local') {
      this.phase = phase.is === 'open' ? downWith(phase.next) : { is: 'replacing' };
      return;
    }
    if (cause.kind === 'dead') this.host.deps.metrics.put('TimeToDetectMs', cause.silentForMs, { Protocol: this.identity.protocol });
    // Slack often closes the old socket before the replacement's hello: not a drop if it opens.
    if (phase.is === 'replacing') {
      this.phase = { is: 'replacing', lost: cause };
      return;
    }
    // The machine retries a stable link's first drop at once: start that connect now.
    this.phase = downWith(phase.next ?? (this.retriesAtOnce() ? this.prepare('prepared-drop') : undefined));
    void this.dropped(cause);
  }

  private dropped(cause: CloseCause): Promise<void> {
    if (cause.kind === 'dead') return this.handle({ type: 'DROPPED', reason: 'dead_socket' });
    if (cause.kind === 'local') return Promise.resolve();
    return this.handle({ type: 'DROPPED', code: cause.code, ...(cause.reason ? { reason: cause.reason } : {}) });
  }

  private onRefresh(connection: SlackConnection, reason: string): void {
    const phase = this.phase;
    if (servingSocket(phase) !== connection) {
      // A retiring socket saying goodbye is already replaced; any other is still being adopted.
      if (!this.retiring?.has(connection) && !this.isStopped) this.early.note(connection, { refresh: reason });
      return;
    }
    // An open link always answers REFRESH with replaceSocket: ask for the new URL right away, so
    // Slack queues events for it while the old socket is winding down.
    if (phase.is === 'open' && !phase.next) this.phase = openOn(phase.socket, this.prepare('prepared-refresh'));
    void this.handle({ type: 'REFRESH', reason });
  }

  /** A Socket Mode `disconnect` that is no refresh frame: the error table says what it asks. */
  private onDisconnectNotice(connection: SlackConnection, reason: string): void {
    const event = disconnectNoticeEvent(reason);
    if (event?.type === 'REFRESH') return this.onRefresh(connection, reason);
    if (event) {
      void this.handle(event);
      return;
    }
    // No event (too_many_websockets, unknown reasons): Slack will close this socket. Not fatal,
    // not a refresh: the close arrives as DROPPED, and a short-lived socket counts as a flap, so
    // the machine backs off instead of looping.
    const { deps } = this.host;
    const { code, known } = classifySlackFailure(reason);
    deps.log.warn('Socket Mode disconnect notice', { linkId: this.id, reason, retiring: connection !== servingSocket(this.phase) });
    deps.metrics.put('UnknownSlackErrors', known ? 0 : 1, { Code: code });
  }
}
