import type { SlackSimulator } from '../shared/slack-simulator';
import { targetsFor } from './fixtures';
import { steadySocket } from './phases/lanes';
import { runRecovery, type RecoveryResult } from './phases/recovery';
import { eventsSettled, runRefreshes, type RefreshResult } from './phases/refresh';
import type { BenchPlan } from './plan';
import { sleep } from './stats';
import { createSystem, SYSTEM_PROTOCOLS } from './systems/create-system';
import type { BenchSystem, LinkProtocol, LinkTarget, SystemContext, SystemName } from './systems/types';
import type { TruthWatcher } from './truth-watcher';

export interface EventCounts {
  lost: number;
  /** Reached the handler more than 1 s after emission (a redelivery or a replay). */
  late: number;
  emitted: number;
}

export interface RefreshEventCounts extends EventCounts {
  byProtocol: Partial<Record<LinkProtocol, EventCounts>>;
}

/** One system under test in the bench's own process: its links for the trials, and their results. */
export class SystemRun {
  readonly delivered = new Map<string, number>();
  private created: BenchSystem | undefined;
  readonly protocols: readonly LinkProtocol[];
  readonly killedLanes: LinkTarget[];
  readonly silentLanes: LinkTarget[];
  readonly refreshLanes: LinkTarget[];
  killed: RecoveryResult | undefined;
  silent: RecoveryResult | undefined;
  refresh: RefreshResult | undefined;

  constructor(
    readonly name: SystemName,
    private readonly sim: SlackSimulator,
    private readonly watcher: TruthWatcher,
    private readonly plan: BenchPlan,
    private readonly dynamo: SystemContext['dynamo'],
  ) {
    const protocols = SYSTEM_PROTOCOLS[name];
    this.protocols = protocols;
    this.killedLanes = targetsFor(sim, protocols, plan.killed.trials);
    this.silentLanes = targetsFor(sim, protocols, plan.silent.trials[name]);
    this.refreshLanes = targetsFor(sim, protocols, plan.refresh.lanes);
  }

  get lanes(): LinkTarget[] {
    return [...this.killedLanes, ...this.silentLanes, ...this.refreshLanes];
  }

  get system(): BenchSystem {
    if (!this.created) throw new Error(`${this.name} has not started`);
    return this.created;
  }

  /** Connects every trial link; resolves once each has a socket (or the wait gave up on it). */
  async start(): Promise<number> {
    this.created = await createSystem(this.name, {
      apiUrl: this.sim.apiUrl,
      ...(this.dynamo ? { dynamo: this.dynamo } : {}),
      onDelivery: ({ marker, at }) => {
        if (!this.delivered.has(marker)) this.delivered.set(marker, at);
      },
    });
    await this.system.prepare(this.lanes);
    await this.system.start();
    const open = await Promise.all(this.lanes.map((lane) => steadySocket(this.watcher, lane.key, 0, 60_000)));
    return open.filter((span) => span === undefined).length;
  }

  async runRefresh(): Promise<void> {
    const { refresh } = this.plan;
    this.refresh = await runRefreshes(this.sim, this.watcher, {
      lanes: this.refreshLanes,
      cyclesPerLane: refresh.cyclesPerLane,
      warningLeadMs: refresh.warningLeadMs,
      emitEveryMs: refresh.emitEveryMs,
      timeoutMs: refresh.timeoutMs,
      markerPrefix: this.name,
      delivered: (marker) => this.delivered.has(marker),
      settleEventsMs: refresh.settleEventsMs,
    });
  }

  async runKilled(): Promise<void> {
    const { killed, minSocketAgeMs } = this.plan;
    this.killed = await runRecovery(this.sim, this.watcher, {
      fault: 'kill', lanes: this.killedLanes, staggerMs: killed.staggerMs, minSocketAgeMs, timeoutMs: killed.timeoutMs, releaseAfterMs: 0,
    });
  }

  async runSilent(): Promise<void> {
    const { silent, minSocketAgeMs } = this.plan;
    this.silent = await runRecovery(this.sim, this.watcher, {
      fault: 'blackHole', lanes: this.silentLanes, staggerMs: silent.staggerMs, minSocketAgeMs, timeoutMs: silent.timeoutMs,
      // The simulator gives up on a black-holed socket only after every trial's cap, so a
      // recovery is always the system's own doing.
      releaseAfterMs: silent.timeoutMs + 30_000,
    });
  }

  /**
   * Waits until every refresh event has either reached the handler or run out of Slack's
   * attempts (Socket Mode redelivers; RTM does not, so one second is plenty), then counts the
   * ones that never arrived.
   */
  async lostRefreshEvents(maxWaitMs: number): Promise<RefreshEventCounts> {
    const emitted = this.refresh?.emitted ?? [];
    const deadline = Date.now() + maxWaitMs;
    const delivered = (marker: string): boolean => this.delivered.has(marker);
    while (!eventsSettled(this.sim, emitted, delivered) && Date.now() < deadline) await sleep(100);
    const counts: RefreshEventCounts = { lost: 0, late: 0, emitted: emitted.length, byProtocol: {} };
    for (const e of emitted) {
      const mine = (counts.byProtocol[e.protocol] ??= { lost: 0, late: 0, emitted: 0 });
      mine.emitted += 1;
      const at = this.delivered.get(e.marker);
      if (at === undefined) {
        counts.lost += 1;
        mine.lost += 1;
      } else if (at - e.at > 1_000) {
        counts.late += 1;
        mine.late += 1;
      }
    }
    return counts;
  }

  async stop(): Promise<void> {
    await this.created?.stop();
  }
}
