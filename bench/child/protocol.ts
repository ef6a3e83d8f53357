import type { ChildSystemName, LinkTarget } from '../systems/types';

export interface DynamoTable {
  endpoint: string;
  tableName: string;
}

/**
 * Memory and cold start run in a child process per system; these are the messages both ways.
 * A throwaway instance first holds a few warm-up links, so code paths that load lazily (SDK
 * clients, HTTP agents, module-level caches) are paid before the baseline, not per link.
 */
export type ToChild =
  | { type: 'warm'; system: ChildSystemName; apiUrl: string; dynamo?: DynamoTable; targets: LinkTarget[] }
  | { type: 'baseline'; dynamo?: DynamoTable }
  | { type: 'prepare'; targets: LinkTarget[] }
  | { type: 'go' }
  /** Registration included: the system starts and registers these links (`BenchSystem.startFromNothing`). */
  | { type: 'goFromNothing'; targets: LinkTarget[] }
  | { type: 'measure'; settleMs: number; maxSettleWaitMs: number }
  | { type: 'stop' };

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  /** V8 heap committed; heapTotal − heapUsed is free heap that RSS still counts. */
  heapTotal: number;
  external: number;
}

export type FromChild =
  | { type: 'warming' }
  | { type: 'baseline'; memory: MemorySnapshot }
  | { type: 'prepared'; ms: number }
  | { type: 'started' }
  /** About to force GCs: the parent counts open sockets now, before the pauses. */
  | { type: 'collecting' }
  | { type: 'measured'; memory: MemorySnapshot; settleWaitMs: number; status?: Record<string, unknown> }
  | { type: 'failed'; error: string };
