import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { silentLogger } from '../../shared/adapters/log';
import { MemoryMetrics } from '../../shared/adapters/memory';
import { applyEvent, type SweepDeps } from '../../shared/app';
import type { LinkEvent } from '../../shared/domain';
import type { ConnectCommand, ConnectOutcome, ConnectQueue, ReactivationRequest, RetryRequest, Workflow } from '../../shared/ports';
import { createLinkTable } from '../support/link-tables';

/** Records what the sweep asked of the queue and the workflow; `failWith` makes scheduling fail. */
export class RecordingOrchestration implements ConnectQueue, Workflow {
  readonly connects: ConnectCommand[] = [];
  readonly retries: RetryRequest[] = [];
  failWith: Error | undefined;

  async send(command: ConnectCommand): Promise<void> {
    this.connects.push(command);
  }

  async receive(): Promise<never[]> {
    return [];
  }

  async scheduleRetry(request: RetryRequest): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.retries.push(request);
  }

  async cancelRetry(): Promise<void> {}
  async startReactivation(_request: ReactivationRequest): Promise<void> {}
  async completeConnect(_token: string, _outcome: ConnectOutcome): Promise<void> {}
}

export interface SweepWorld {
  deps: SweepDeps;
  links: DynamoDbLinkStore;
  registry: DynamoDbWorkerRegistry;
  orchestration: RecordingOrchestration;
  metrics: MemoryMetrics;
  clock: { now(): number; set(at: number): void };
  /** What happens while the sweep waits a lease (peers heartbeating, say). */
  duringWait: Array<() => Promise<void>>;
  waited: number[];
  /** Moves a link by events at the current clock. */
  drive(linkId: string, ...events: LinkEvent[]): Promise<void>;
}

/** A sweep's dependencies on a fresh table of a local engine, with a hand-driven clock. */
export async function sweepWorld(client: DynamoDBClient, start = 1_700_000_000_000): Promise<SweepWorld> {
  const table = { client, tableName: await createLinkTable(client) };
  const links = new DynamoDbLinkStore(table);
  const registry = new DynamoDbWorkerRegistry(table);
  const orchestration = new RecordingOrchestration();
  const metrics = new MemoryMetrics();
  let now = start;
  const clock = { now: () => now, set: (at: number) => void (now = at) };
  const duringWait: Array<() => Promise<void>> = [];
  const waited: number[] = [];
  const deps: SweepDeps = {
    links,
    registry,
    queue: orchestration,
    workflow: orchestration,
    metrics,
    log: silentLogger,
    clock,
    random: () => 0.5,
    sleep: async (ms) => {
      waited.push(ms);
      for (const action of duringWait) await action();
      now += ms;
    },
  };
  const drive = async (linkId: string, ...events: LinkEvent[]) => {
    for (const event of events) await applyEvent(deps, linkId, event);
  };
  return { deps, links, registry, orchestration, metrics, clock, duringWait, waited, drive };
}

export const worker = (workerId: string, leaseMs = 10_000) => ({
  workerId,
  counter: 0,
  leaseMs,
  capacity: 100,
  linkCount: 0,
  draining: false,
  startedAt: 0,
});
