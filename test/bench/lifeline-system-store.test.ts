import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifelineSystem } from '../../bench/systems/lifeline';
import { isStoreUnavailable } from '../../shared/adapters/dynamodb';
import { startFaultyLinkTable, type FaultyLinkTable } from '../support/faulty-link-table';

/**
 * The bench's Lifeline column must run the store clients a worker ships with (issue 13): calls
 * bounded and gated (`composeWorkerStore`). A plain client waits forever on a store that holds
 * requests; the shipped one gives up after its attempts.
 */
describe("the bench's Lifeline system", () => {
  let store: FaultyLinkTable;

  beforeAll(async () => {
    store = await startFaultyLinkTable();
  });
  afterAll(async () => store?.stop());

  it('talks to the store through the shipped bounded clients: a held store fails registration instead of hanging it', async () => {
    const { proxy, tableName } = store;
    const system = new LifelineSystem({ apiUrl: 'http://127.0.0.1:9/api/', dynamo: { endpoint: proxy.endpoint, tableName }, onDelivery: () => undefined });
    await proxy.set({ kind: 'hold' });
    try {
      const error = await system
        .prepare([{ protocol: 'rtm', key: 'T1', appId: 'A1', teamId: 'T1', token: 'xoxb-1' }])
        .then(() => undefined, (e: unknown) => e);
      expect(isStoreUnavailable(error)).toBe(true);
      // Two attempts (the shipped link-write bound), each held until its 3 s timer.
      expect(proxy.counts.held).toBe(2);
    } finally {
      await proxy.set({ kind: 'pass' });
      await system.stop();
    }
  }, 20_000);
});
