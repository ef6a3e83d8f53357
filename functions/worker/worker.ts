import { applyAndPerform, handOverLinksUntilDone, parkFromSocketEvent, type ApplyEventDeps, type ApplyEventOptions, type ApplyEventResult, type EffectPerformer } from '../../shared/app';
import { isParked, type LinkEvent } from '../../shared/domain';
import { type Fence, type LinkRecord, type ReceivedCommand } from '../../shared/ports';
import type { InboundEvent, SlackConnection } from './connection/types';
import type { WorkerDeps } from './deps';
import { claimCommand } from './claim-command';
import { ConnectGate } from './connect-gate';
import { reportConnect, staleConnect } from './connect-task';
import { EventForwarder } from './event-forwarder';
import { receiveHandoff } from './accept-handoff';
import { acceptRegistration, type RegistrationTaker } from './accept-registration';
import { holdWhileHandled } from './command-hold';
import { handOffForDrain } from './drain';
import { HeldLinks } from './held-links';
import { LinkRunner, type RunnerHost } from './link-runner';
import { Membership } from './membership';
import { resolveWorkerOptions, type WorkerOptions } from './options';
import { Rebalancer } from './rebalance';
import { ParkWatch } from './park-watch';
import { reconcileOwnedLinks } from './reconcile';
import { repairWhenStoreAnswers } from './store-back-repair';

export type WorkerState = 'idle' | 'running' | 'draining' | 'stopped' | 'fenced';

/**
 * A worker: claims links from the connect queue, holds their sockets, heartbeats, watches its
 * peers, and drains on request. Built from injected ports; `main.ts` wires the real ones.
 */
export class Worker implements RunnerHost, RegistrationTaker {
  readonly options: WorkerOptions;
  /** The ports with this worker's machine policy: every event the worker applies steps with it. */
  readonly stepDeps: WorkerDeps & Pick<ApplyEventDeps, 'policy' | 'versions' | 'writeVersion'>;
  readonly runners = new HeldLinks(() => this.deps.clock.now());
  private readonly membership: Membership;
  private readonly forwarder: EventForwarder;
  /** Moves links toward an even share of the fleet (`rebalance.ts`); hand-offs it receives go through `accept`. */
  readonly rebalancer: Rebalancer;
  /** AWS: links parked elsewhere, found on the state index, re-judged without waiting for reconcile. */
  private readonly parkWatch: ParkWatch;
  private readonly pendingClaims = new Set<string>();
  /** Every runner's connect attempts wait their turn here (`connect-gate.ts`). */
  readonly connectGate: ConnectGate;
  /** Links whose hand-off this worker is taking now: a second copy (a drain's after a rebalance's) opens no second socket. */
  readonly handoffsInFlight = new Set<string>();
  readonly registrationsInFlight = new Set<string>();
  /** Deliveries on their way to the sink: a worker that fences lets them finish before it says so. */
  private readonly forwarding = new Set<Promise<void>>();
  /** Wakes the intake waiting for room (see `untilClaimSettles`). */
  private claimSettled: (() => void) | undefined;
  private intakeAbort = new AbortController();
  private intakeDone: Promise<void> = Promise.resolve();
  private reconcileTimer: ReturnType<typeof setInterval> | undefined;
  private metricsTimer: ReturnType<typeof setInterval> | undefined;
  private stateValue: WorkerState = 'idle';
  /** Fencing has begun: the state says `fenced` only once in-flight deliveries settled. */
  private fencing = false;

  constructor(
    readonly deps: WorkerDeps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = resolveWorkerOptions(options);
    this.connectGate = new ConnectGate({ max: this.options.maxConnectsInFlight, now: () => deps.clock.now() });
    this.forwarder = new EventForwarder(deps, this.options.sinkBatchSize, this.options.sinkBatchDelayMs, { fencing: () => this.fencing });
    this.membership = new Membership(deps, this.options, {
      status: () => ({ linkCount: this.runners.size, draining: this.stateValue === 'draining' }),
      onSelfFenced: (reason) => void this.selfFence(reason),
      onPeerDead: (peer) => this.takeOverFrom(peer),
      // Links whose socket Slack closed while the store was away could not be written: their
      // repair (OWNER_LOST, then a reconnect) waits for the store, so run it the moment it is back.
      onStoreBack: () => void this.reconcile(),
      onFleet: (workers) => this.rebalancer.noteFleet(workers),
    });
    const canMove = () => this.isRunning;
    this.rebalancer = new Rebalancer({ deps, options: this.options, runners: this.runners, canMove, storeAnswers: () => this.membership.storeAnswers, lastTakenAt: () => this.runners.lastTakenAt });
    this.parkWatch = new ParkWatch(deps, {
      holds: (linkId) => this.runners.has(linkId),
      recheck: (linkId) => this.recheckLink(linkId),
    }, { intervalMs: this.options.parkWatchMs });
    const membership = this.membership;
    this.stepDeps = {
      ...deps,
      ...(this.options.policy ? { policy: this.options.policy } : {}),
      ...(this.options.versions ? { versions: this.options.versions } : {}),
      writeVersion: () => membership.writeVersion(),
    };
  }

  get state(): WorkerState {
    return this.stateValue;
  }

  /** Fencing has begun (the state may still say `running`). */
  get isFencing(): boolean { return this.fencing; }

  /** Running, and not fencing: only then does the worker take or act on anything. */
  private get isRunning(): boolean {
    return this.stateValue === 'running' && !this.fencing;
  }

  get storeAnswers(): boolean {
    return this.membership.storeAnswers;
  }

  /** The snapshot version this worker writes now: its release's once no live worker runs an older one. */
  snapshotWriteVersion(): number {
    return this.membership.writeVersion();
  }

  async start(): Promise<void> {
    await this.membership.start();
    this.stateValue = 'running';
    this.intakeDone = this.intake();
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.options.reconcileMs);
    this.reconcileTimer.unref?.();
    this.metricsTimer = setInterval(() => this.reportLinks(), this.options.metricsIntervalMs);
    this.metricsTimer.unref?.();
    this.rebalancer.start();
    this.parkWatch.start();
    this.deps.log.info('worker started', { workerId: this.deps.workerId, capacity: this.options.capacity });
  }

  /**
   * SIGTERM: hand every open link to a peer make-before-break (the peer opens its socket, then
   * claims; our socket closes once the claim moved; not taken, sent again: `drain.ts`), then
   * leave. Only links no peer took by the drain timeout go to the restart workflow, and our
   * sockets close.
   */
  async drain(): Promise<{ handedOff: number; givenUp: number }> {
    if (!this.isRunning) return { handedOff: 0, givenUp: 0 };
    this.stateValue = 'draining';
    this.rebalancer.stop();
    await this.stopIntake();
    await this.membership.renewNow();
    const fleet = await this.deps.registry.list();
    const peers = fleet.filter((w) => w.workerId !== this.deps.workerId && !w.draining);
    const deadline = this.deps.clock.now() + (peers.length > 0 ? this.options.drainTimeoutMs : 0);
    const { handedOff, resent } = await handOffForDrain({ deps: this.deps, runners: this.runners, handoffsInFlight: this.handoffsInFlight, targetOf: (id) => this.rebalancer.targetOf(id) }, fleet, deadline);
    let givenUp = 0;
    for (const runner of [...this.runners.values()]) {
      if (runner.isStopped) continue;
      givenUp += 1;
      await runner.handle({ type: 'OWNER_LOST' });
      await runner.stop('drained');
    }
    await this.finish('stopped');
    this.deps.log.info('worker drained', { handedOff, givenUp, resent });
    return { handedOff, givenUp };
  }

  /** Stops at once: closes every socket, leaves the links to peers (tests, fatal errors). */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'fenced') return;
    await this.stopIntake();
    await Promise.all([...this.runners.values()].map((r) => r.stop('worker stopping')));
    await this.finish('stopped');
  }

  // RunnerHost

  /** Applies an event to a runner's link with this worker's policy, and performs its effects as the socket's holder. */
  apply(runner: LinkRunner, event: LinkEvent, options: ApplyEventOptions): Promise<ApplyEventResult> {
    return applyAndPerform(this.stepDeps, this.performerFor(runner), runner.id, event, options);
  }

  /**
   * The performer of the worker that holds the link's socket. While running, a connect or the
   * first immediate retry happens here, on the runner; a later retry goes to the restart workflow
   * and the runner lets go. Draining or stopped, it acts as a detached caller would.
   */
  performerFor(runner: LinkRunner): EffectPerformer {
    const running = () => this.isRunning;
    return {
      connect: async (link) => {
        if (running()) void runner.connect();
        else await this.deps.queue.send({ linkId: link.id, epoch: link.epoch });
      },
      scheduleRetry: async (link, params) => {
        if (running() && params.delayMs === 0 && runner.tryInPlaceRetry()) return;
        await this.deps.workflow.scheduleRetry({ linkId: link.id, epoch: link.epoch, delayMs: params.delayMs, attempt: params.attempt, dueAt: params.at });
        await runner.stop('retry scheduled');
      },
      cancelRetry: (link) => this.deps.workflow.cancelRetry(link.id),
      closeSocket: (_link, params) => runner.stop(params.reason),
      replaceSocket: async (_link, params) => void runner.replace(params.reason),
    };
  }

  forward(runner: LinkRunner, connection: SlackConnection, event: InboundEvent): Promise<void> {
    // Fencing: a peer may hold this link. An envelope read now is left unacked, so Slack
    // redelivers it to the holder; an RTM event has no redelivery, so it goes on (dedupe decides).
    if (this.fencing && event.envelopeId) return Promise.resolve();
    const delivery = this.forwarder
      .forward(runner.identity, connection, event)
      .catch((error) => {
        this.deps.log.error('event forwarding failed', { linkId: runner.id, error });
      })
      .then(() => this.afterDelivery(runner, event));
    this.forwarding.add(delivery);
    void delivery.finally(() => this.forwarding.delete(delivery));
    return delivery;
  }

  /**
   * The lifecycle hook: a Socket Mode `app_uninstalled` / `tokens_revoked` parks its installation,
   * after the event went to the bot (so the bot has the event before it hears `lifeline_parked`).
   * A failure is logged; Slack's redelivery of an unacked envelope, or the next park, repeats it.
   */
  private async afterDelivery(runner: LinkRunner, event: InboundEvent): Promise<void> {
    if (runner.identity.protocol !== 'socket' || event.kind !== 'events_api') return;
    await parkFromSocketEvent(this.stepDeps, runner.identity, event.kind, event.payload).catch((error: unknown) => {
      this.deps.log.error('could not park an installation from an event over the socket', { linkId: runner.id, error });
    });
  }

  /** The retry a record plans (`nextAttemptAt`), as its effect: due now and unspent, in place; else the workflow, same name. */
  resumeRetry(runner: LinkRunner, link: LinkRecord): Promise<void> {
    const at = link.nextAttemptAt ?? link.updatedAt;
    return this.performerFor(runner).scheduleRetry(link, { delayMs: Math.max(0, at - this.deps.clock.now()), attempt: link.attempt, at, reason: 'resumed' });
  }

  release(runner: LinkRunner): void {
    if (this.runners.get(runner.id) === runner) this.runners.delete(runner.id);
  }

  /** A link a runner let go because the store did not answer: OWNER_LOST once it answers (`store-back-repair.ts`). */
  repairWhenStoreAnswers(linkId: string, fence: Fence): void {
    repairWhenStoreAnswers(this.stepDeps, { running: () => this.isRunning, holds: (id) => this.runners.has(id) }, linkId, fence);
  }

  /**
   * The fast path for a park written by another process (an uninstall event, an operator): told
   * the link id, re-read the link and let go at once if it is parked or no longer ours, so its
   * socket closes now rather than at the next reconcile, and nothing more it receives reaches the
   * bot. The same verdict reconcile gives, for one link; a notice for a link still ours and live
   * changes nothing.
   */
  async recheckLink(linkId: string): Promise<void> {
    const runner = this.runners.get(linkId);
    if (!runner || runner.isStopped) return;
    const link = await this.deps.links.get(linkId).catch(() => undefined);
    if (!link) return; // unreadable now: the reconcile loop decides later
    if (link.owner !== this.deps.workerId || link.epoch !== runner.fence.epoch) await runner.stop('no longer the owner');
    else if (isParked(link.state)) await runner.stop(`parked: ${link.state}`);
  }

  // Intake: connect commands from the queue.

  private async intake(): Promise<void> {
    const { signal } = this.intakeAbort;
    while (this.isRunning && !signal.aborted) {
      // Bounded twice: by capacity, and by claims in flight, so a cold start of thousands of links
      // flows through the store at a steady pace instead of queueing everything at once.
      const room = Math.min(
        this.options.capacity - this.runners.size - this.pendingClaims.size,
        this.options.maxClaimsInFlight - this.pendingClaims.size,
      );
      if (room <= 0) {
        await this.untilClaimSettles();
        continue;
      }
      let received: ReceivedCommand[];
      try {
        received = await this.deps.queue.receive({ max: Math.min(this.options.receiveBatch, room), waitMs: this.options.receiveWaitMs, signal });
      } catch (error) {
        if (signal.aborted) break;
        this.deps.log.warn('connect queue receive failed', { error });
        await sleep(500);
        continue;
      }
      for (const message of received) {
        this.pendingClaims.add(message.command.linkId);
        void this.accept(message);
      }
    }
  }

  private async accept(received: ReceivedCommand): Promise<void> {
    const { command, ack } = received;
    const { deps } = this;
    const stopHolding = holdWhileHandled(received, this.options, deps.log);
    try {
      // A worker that stopped or fenced itself meanwhile takes nothing more: not acked, the
      // command returns to the queue for a live worker.
      if (!this.isRunning) return;
      if (command.handoffFrom) {
        await receiveHandoff(this, command, ack, this.runners.size + this.pendingClaims.size - 1); // held besides this one
        return;
      }
      if (command.register && command.taskToken === undefined && (await acceptRegistration(this, command, ack)) !== 'fallback') return;
      const outcome = await claimCommand(this.stepDeps, command);
      if ('stale' in outcome) {
        await ack(); // nothing to claim: the command goes, the workflow waiting on it hears why
        await reportConnect(deps, command.taskToken, staleConnect(outcome.stale), command.linkId);
        return;
      }
      const claimed = outcome.claimed;
      // Claimed, but fenced or stopped since: hold nothing. Peers recover the link (OWNER_LOST).
      if (!this.isRunning) return;
      const runner = new LinkRunner(this, claimed, { owner: deps.workerId, epoch: claimed.epoch });
      await this.runners.get(claimed.id)?.stop('superseded by a new claim');
      this.runners.set(claimed.id, runner);
      await ack();
      void runner.connect(command.taskToken, command.taskToken === undefined ? 'intake' : 'workflow');
    } catch (error) {
      // Not acked: the command becomes visible again after the queue's visibility timeout.
      deps.log.error('connect command failed', { linkId: command.linkId, error });
    } finally {
      stopHolding();
      this.pendingClaims.delete(command.linkId);
      this.claimSettled?.();
    }
  }

  /**
   * Intake is full: wait until a claim in flight settles (room for the next command), or a poll's
   * wait at most (room may also come from runners letting go). A fixed sleep here left the queue
   * idle for most of a second each time a cold start's claims filled the window.
   */
  private untilClaimSettles(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.claimSettled === done) this.claimSettled = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.receiveWaitMs);
      this.claimSettled = done;
    });
  }

  // Peers and reconciliation.

  /** Retried until every link of the dead peer is handed over (a store outage only delays it), while we run. */
  private async takeOverFrom(peer: string): Promise<void> {
    const { handedOver, passes } = await handOverLinksUntilDone(this.stepDeps, peer, {
      sleep,
      stillWanted: () => this.isRunning,
    });
    this.deps.log.info("took over a dead peer's links", { peer, links: handedOver, passes });
  }

  private async reconcile(): Promise<void> {
    if (!this.isRunning) return;
    await reconcileOwnedLinks(this.stepDeps, this.runners, this.pendingClaims, { quietMs: this.options.leaseMs, connectingQuietMs: this.options.connectTimeoutMs + this.options.leaseMs }).catch((error) => this.deps.log.warn('reconcile failed', { error }));
  }

  /**
   * A peer could have taken our links (our heartbeat item is gone, or we stood still past the
   * deadline): close every socket, then let the events already read finish their way to the sink
   * (each claimed in dedupe is delivered, or released by the forwarder if the sink refuses it)
   * before saying `fenced`, which is when `main.ts` exits.
   */
  private async selfFence(reason: string): Promise<void> {
    this.deps.log.error('closing every socket: a peer may hold our links', { reason });
    this.fencing = true;
    this.rebalancer.stop();
    this.intakeAbort.abort();
    void this.parkWatch.stop();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    // A process that stood still fences on its first timer after resuming, before the frames
    // Slack sent meanwhile were read: give the sockets a moment (half a heartbeat, at most
    // 250 ms) to hand them over (dedupe sorts out what a peer also got), then close. RTM events
    // only our socket received would otherwise be lost; envelopes are left to Slack (`forward`).
    await sleep(Math.min(FENCE_READ_MS, Math.floor(this.options.heartbeatMs / 2)));
    await Promise.all([...this.runners.values()].map((r) => r.stop('self-fenced')));
    this.forwarder.flush();
    const pending = this.forwarding.size;
    await Promise.allSettled([...this.forwarding]);
    if (pending > 0) this.deps.log.info('deliveries in flight at the fence finished', { pending });
    this.stateValue = 'fenced';
  }

  private async stopIntake(): Promise<void> {
    this.intakeAbort.abort();
    await this.intakeDone;
  }

  /** Links this worker holds, by whether their socket is open: the fleet's picture is the sum over workers. */
  reportLinks(): { open: number; connecting: number } {
    let open = 0;
    for (const runner of this.runners.values()) if (runner.hasOpenSocket) open += 1;
    const counts = { open, connecting: this.runners.size - open };
    this.deps.metrics.put('LinksByState', counts.open, { State: 'open', WorkerId: this.deps.workerId });
    this.deps.metrics.put('LinksByState', counts.connecting, { State: 'connecting', WorkerId: this.deps.workerId });
    // The fleet's utilisation for the autoscaler; a draining worker's capacity is leaving, so it reports none.
    if (this.isRunning) this.deps.fleetMetrics?.report({ linksHeld: this.runners.size, capacity: this.options.capacity });
    return counts;
  }

  private async finish(state: WorkerState): Promise<void> {
    this.rebalancer.stop();
    await this.parkWatch.stop();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    this.forwarder.flush();
    await this.membership.stop(true);
    this.stateValue = state;
  }
}

/** How long a fencing worker keeps reading what its sockets already received before closing them. */
const FENCE_READ_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
