import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedStoreCalls, DynamoDbWorkerRegistry, isStoreUnavailable } from '../../shared/adapters/dynamodb';
import { WorkerConflictError, type WorkerRecord } from '../../shared/ports';
import type { FaultProxy } from '../support/fault-proxy';
import { startFaultyLinkTable, type FaultyLinkTable } from '../support/faulty-link-table';

const worker = (workerId: string): WorkerRecord => ({ workerId, counter: 0, leaseMs: 3_000, capacity: 10, linkCount: 0, draining: false, startedAt: 0 });

/**
 * Every store call a worker makes is bounded, and each way the store can be away is told apart
 * from an answer: the real SDK against dynalite behind the fault proxy.
 */
describe('store calls through a faulty store', () => {
  let store: FaultyLinkTable;
  let proxy: FaultProxy;
  let tableName: string;
  let registry: DynamoDbWorkerRegistry;
  let client: DynamoDBClient;

  beforeAll(async () => {
    store = await startFaultyLinkTable();
    ({ proxy, tableName } = store);
    client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...boundedStoreCalls({ attemptTimeoutMs: 400, maxAttempts: 1 }),
    });
    registry = new DynamoDbWorkerRegistry({ client, tableName });
    await registry.register(worker('w-probe'));
  });
  afterAll(async () => {
    client?.destroy();
    await store?.stop();
  });

  const failureOf = async (call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
    const started = Date.now();
    const error = await call().then(() => undefined, (e: unknown) => e);
    expect(error, 'the call should have failed').toBeDefined();
    return { error, ms: Date.now() - started };
  };

  it('fails a held request after its bound, as "store unavailable", instead of hanging', async () => {
    await proxy.set({ kind: 'hold' });
    try {
      const { error } = await failureOf(() => registry.list());
      expect(isStoreUnavailable(error)).toBe(true);
      expect((error as Error).name).toBe('TimeoutError');
      expect(proxy.counts.held).toBeGreaterThan(0);
    } finally {
      await proxy.set({ kind: 'pass' });
    }
  });

  it('reports a refused connection as "store unavailable"', async () => {
    await proxy.set({ kind: 'refuse' });
    try {
      const { error } = await failureOf(() => registry.list());
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      await proxy.set({ kind: 'pass' });
    }
  });

  it('reports a throttled write as "store unavailable", and reads still pass', async () => {
    await proxy.set({ kind: 'throttle-writes' });
    try {
      const { error } = await failureOf(() => registry.heartbeat('w-probe', 0, { linkCount: 0, draining: false }));
      expect((error as Error).name).toBe('ProvisionedThroughputExceededException');
      expect(isStoreUnavailable(error)).toBe(true);
      expect((await registry.list()).map((w) => w.workerId)).toContain('w-probe');
    } finally {
      await proxy.set({ kind: 'pass' });
    }
  });

  it('still answers through a slow store within the bound', async () => {
    await proxy.set({ kind: 'latency', ms: 150 });
    try {
      expect((await registry.list()).length).toBeGreaterThan(0);
    } finally {
      await proxy.set({ kind: 'pass' });
    }
  });

  it('tells an answer from an absence: a refused renewal is a conflict, never "unavailable"', async () => {
    const { error } = await failureOf(() => registry.heartbeat('w-probe', 41, { linkCount: 0, draining: false }));
    expect(error).toBeInstanceOf(WorkerConflictError);
    expect(isStoreUnavailable(error)).toBe(false);
    // The item is there: the conflict carries its counter (a renewal of ours that landed, not a takeover).
    expect((error as WorkerConflictError).currentCounter).toBe(0);
    await registry.removeIfUnchanged('w-probe', 0);
    const gone = await failureOf(() => registry.heartbeat('w-probe', 0, { linkCount: 0, draining: false }));
    expect((gone.error as WorkerConflictError).currentCounter).toBeUndefined();
  });
});
