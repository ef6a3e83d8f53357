import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventDedupe, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { CallbackSink, MemoryConnectQueue, MemoryCredentials } from '../../shared/adapters/memory';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import type { LocalStepFunctionsWorkflow } from '../../shared/adapters/stepfunctions';
import { queueNewLinks, registerNewLinks, rtmLinkId, socketModeLinkId } from '../../shared/app';
import { IntervalTicker, openSlackConnection } from '../../functions/worker/connection';
import type { WorkerDeps } from '../../functions/worker/deps';
import { Worker } from '../../functions/worker/worker';
import { createEmbeddedWorkflow } from '../../functions/workflow-tasks';
import { localClient } from '../../test/support/link-tables';
import { TallyLogger } from './tally-logger';
import { markerOf, type BenchSystem, type LinkTarget, type SystemContext } from './types';

/**
 * Lifeline as it runs embedded: one worker with its default options and default liveness (the
 * targets are stated for defaults), the real adapters (HTTP Slack API, `ws` connections on a
 * shared ticker, DynamoDB store/registry/dedupe on dynalite), the in-process queue, the shipped
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
  private readonly client: DynamoDBClient;

  constructor(ctx: SystemContext) {
    if (!ctx.dynamo) throw new Error('Lifeline needs a link table');
    this.client = localClient(ctx.dynamo.endpoint);
    const { tableName } = ctx.dynamo;
    const links = new DynamoDbLinkStore({ client: this.client, tableName });
    const queue = new MemoryConnectQueue();
    // Lines are discarded; counting `Reconnects` (one per OPENED applied) tells when the store has caught up.
    const metrics = new EmfMetrics({
      write: (line) => {
        if (line.includes('"Reconnects"')) this.openedApplied += 1;
      },
    });
    const slack = new HttpSlackApi({ apiUrl: ctx.apiUrl });
    this.workflow = createEmbeddedWorkflow({
      deps: { links, clock: Date, random: Math.random, slack, credentials: this.credentials, metrics, log: this.log },
      queue,
      log: this.log,
    });
    this.deps = {
      workerId: `bench-${randomUUID().slice(0, 8)}`,
      links,
      // As compose.ts: heartbeats on a client of their own, never queued behind link writes.
      registry: new DynamoDbWorkerRegistry({ client: localClient(ctx.dynamo.endpoint), tableName }),
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
      dedupe: new DynamoDbEventDedupe({ client: this.client, tableName }),
      metrics,
      log: this.log,
      openConnection: (args) => openSlackConnection({ ...args, ticker: this.ticker }),
      clock: Date,
      random: Math.random,
    };
    this.worker = new Worker(this.deps);
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
    this.client.destroy();
  }
}
