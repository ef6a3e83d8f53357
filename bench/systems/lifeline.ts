import { randomUUID } from 'node:crypto';
import { CallbackSink, MemoryConnectQueue, MemoryCredentials } from '../../shared/adapters/memory';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import type { LocalStepFunctionsWorkflow } from '../../shared/adapters/stepfunctions';
import { queueNewLinks, registerNewLinks, rtmLinkId, socketModeLinkId } from '../../shared/app';
import { IntervalTicker, openSlackConnection } from '../../functions/worker/connection';
import { readWorkerConfig } from '../../functions/worker/config';
import { composeWorkerStore, type WorkerStore } from '../../functions/worker/compose-store';
import type { WorkerDeps } from '../../functions/worker/deps';
import { Worker } from '../../functions/worker/worker';
import { createEmbeddedWorkflow } from '../../functions/workflow-tasks';
import { TallyLogger } from './tally-logger';
import { markerOf, type BenchSystem, type LinkTarget, type SystemContext } from './types';

/**
 * Lifeline as it runs embedded: one worker configured as an embedded child is (its environment
 * read by `readWorkerConfig`, so default options and liveness: the targets are stated for
 * defaults), its store clients composed as every worker's are (`composeWorkerStore`: the bounded,
 * gated clients, heartbeats and dedupe on their own), the real adapters (HTTP Slack API, `ws`
 * connections on a shared ticker, dynalite as the store), the in-process queue, the shipped
 * restart workflow (the deployed definitions run locally with the real task handler, as
 * `npm start` runs them), and a callback sink standing in for the bot. Metrics are formatted as in production and
 * discarded, so they cost what they cost on AWS and are not retained.
 */
export class LifelineSystem implements BenchSystem {
  readonly name = 'lifeline';
  readonly protocols = ['rtm', 'socket'] as const;
  private readonly worker: Worker;
  private readonly deps: WorkerDeps;
  private readonly credentials = new MemoryCredentials();
  private readonly workflow: LocalStepFunctionsWorkflow;
  private readonly ticker = new IntervalTicker();
  private readonly log = new TallyLogger();
  private openedApplied = 0;
  private readonly store: WorkerStore;

  constructor(ctx: SystemContext) {
    if (!ctx.dynamo) throw new Error('Lifeline needs a link table');
    // The keys `functions/embedded/spawn-worker.ts` gives a child, less what this process has in place of IPC.
    const config = readWorkerConfig({
      LIFELINE_MODE: 'embedded',
      LIFELINE_WORKER_ID: `bench-${randomUUID().slice(0, 8)}`,
      LIFELINE_TABLE_NAME: ctx.dynamo.tableName,
      LIFELINE_DYNAMODB_ENDPOINT: ctx.dynamo.endpoint,
      SLACK_API_URL: ctx.apiUrl,
    });
    this.store = composeWorkerStore(config);
    const { links } = this.store;
    const queue = new MemoryConnectQueue();
    // Lines are discarded; counting `Reconnects` (one per OPENED applied) tells when the store has caught up.
    const metrics = new EmfMetrics({
      write: (line) => {
        if (line.includes('"Reconnects"')) this.openedApplied += 1;
      },
    });
    const slack = new HttpSlackApi({ apiUrl: config.slackApiUrl });
    this.workflow = createEmbeddedWorkflow({
      deps: { links, clock: Date, random: Math.random, slack, credentials: this.credentials, metrics, log: this.log },
      queue,
      log: this.log,
    });
    this.deps = {
      workerId: config.workerId,
      links,
      registry: this.store.registry,
      queue,
      workflow: this.workflow,
      slack,
      credentials: this.credentials,
      sink: new CallbackSink((events) => {
        const at = Date.now();
        for (const event of events) {
          const marker = markerOf(event.payload);
          if (marker !== undefined) ctx.onDelivery({ marker, at });
        }
      }),
      dedupe: this.store.dedupe,
      installations: this.store.installations,
      metrics,
      log: this.log,
      openConnection: (args) => openSlackConnection({ ...args, liveness: config.liveness, ticker: this.ticker }),
      clock: Date,
      random: Math.random,
    };
    this.worker = new Worker(this.deps, config.worker);
  }

  /**
   * Registers the links as the embedded start does: credentials stored, then each link created
   * with CONNECT in one conditional write and its connect command queued (`registerNewLinks`).
   */
  async prepare(targets: readonly LinkTarget[]): Promise<void> {
    await registerNewLinks(this.deps, this.storeCredentials(targets));
  }

  /** Each target's token where the worker will look for it; returns the link ids. */
  private storeCredentials(targets: readonly LinkTarget[]): string[] {
    return targets.map((target) => {
      if (target.protocol === 'rtm') {
        if (!target.teamId) throw new Error('an RTM target needs a team');
        this.credentials.set({ protocol: 'rtm', appId: target.appId, teamId: target.teamId }, { token: target.token, tokenVersion: 1 });
        return rtmLinkId(target.appId, target.teamId);
      }
      this.credentials.set({ protocol: 'socket', appId: target.appId }, { token: target.token, tokenVersion: 1 });
      return socketModeLinkId(target.appId, 0);
    });
  }

  async start(): Promise<void> {
    if (this.worker.state === 'idle') await this.worker.start();
  }

  /**
   * From nothing, as a first start with these links configured: no record yet, so each link is
   * queued as a registration and the worker creates it already claimed (`queueNewLinks`).
   */
  async startFromNothing(targets: readonly LinkTarget[]): Promise<void> {
    const linkIds = this.storeCredentials(targets);
    await this.start();
    await queueNewLinks(this.deps, linkIds);
  }

  settled(): boolean {
    return this.openedApplied >= this.worker.runners.size;
  }

  status(): Record<string, unknown> {
    const open = [...this.worker.runners.values()].filter((runner) => runner.hasOpenSocket).length;
    return {
      workerState: this.worker.state, runners: this.worker.runners.size, openRunners: open, openedApplied: this.openedApplied,
      warningsAndErrors: this.log.summary(),
    };
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    this.workflow.stop();
    this.ticker.stop();
    this.store.destroy();
  }
}
