import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventDedupe, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { CallbackSink, MemoryConnectQueue, MemoryCredentials } from '../../shared/adapters/memory';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import type { LocalStepFunctionsWorkflow } from '../../shared/adapters/stepfunctions';
import { applyDetached, rtmLinkId, socketModeLinkId } from '../../shared/app';
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

  /** Registers each link as the OAuth handler would: credentials stored, CONNECT applied, connect command queued. */
  async prepare(targets: readonly LinkTarget[]): Promise<void> {
    const { deps } = this;
    // A few at a time: registration is not what is measured, and dynalite serialises writes anyway.
    await forEachLimit(targets, 16, async (target) => {
      let linkId: string;
      if (target.protocol === 'rtm') {
        if (!target.teamId) throw new Error('an RTM target needs a team');
        this.credentials.set({ protocol: 'rtm', appId: target.appId, teamId: target.teamId }, { token: target.token, tokenVersion: 1 });
        linkId = rtmLinkId(target.appId, target.teamId);
      } else {
        this.credentials.set({ protocol: 'socket', appId: target.appId }, { token: target.token, tokenVersion: 1 });
        linkId = socketModeLinkId(target.appId, 0);
      }
      await applyDetached(deps, linkId, { type: 'CONNECT' });
    });
  }

  async start(): Promise<void> {
    if (this.worker.state === 'idle') await this.worker.start();
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

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
