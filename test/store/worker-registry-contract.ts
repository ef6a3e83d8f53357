import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, expect, it } from 'vitest';
import { DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../shared/adapters/dynamodb';
import { parseLinkId } from '../../shared/app';
import { WorkerConflictError, type WorkerRecord } from '../../shared/ports';
import { linkIndexAttributes, workerKey } from '../../shared/schema';
import type { EngineHandle } from '../support/engines';
import { connecting } from '../support/link-fixtures';
import { createLinkTable } from '../support/link-tables';

const t0 = 1_700_000_000_000;

const worker = (workerId: string, extra: Partial<WorkerRecord> = {}): WorkerRecord => ({
  workerId,
  counter: 0,
  leaseMs: 10_000,
  capacity: 5_000,
  linkCount: 0,
  draining: false,
  startedAt: t0,
  ...extra,
});

const conflictOf = async (promise: Promise<unknown>): Promise<WorkerConflictError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkerConflictError);
  return error as WorkerConflictError;
};

/** The WorkerRegistry contract: membership, conditional heartbeats, fenced removal of dead peers. */
export const workerRegistryContract = (engine: EngineHandle): void => {
  let client: DynamoDBClient;
  let tableName: string;
  let registry: DynamoDbWorkerRegistry;
  beforeEach(async () => {
    client = engine.client();
    tableName = await createLinkTable(client);
    registry = new DynamoDbWorkerRegistry({ client, tableName });
  });

  it('registers a worker at counter 0 and lists it whole', async () => {
    await registry.register(worker('w1', { linkCount: 3, counter: 7 }));
    expect(await registry.list()).toEqual([worker('w1', { linkCount: 3, counter: 0 })]);
  });

  it('keeps each worker\'s machine version through heartbeats; a worker of a release before versions lists without one', async () => {
    await registry.register(worker('new', { machineVersion: 2 }));
    await registry.register(worker('old'));
    expect((await registry.heartbeat('new', 0, { linkCount: 1, draining: false })).machineVersion).toBe(2);
    const listed = new Map((await registry.list()).map((w) => [w.workerId, w]));
    expect(listed.get('new')?.machineVersion).toBe(2);
    expect(listed.get('old')).not.toHaveProperty('machineVersion');
  });

  it('refuses to register the same worker twice and keeps the first', async () => {
    await registry.register(worker('w1', { capacity: 10 }));
    const error = await conflictOf(registry.register(worker('w1', { capacity: 20 })));
    expect(error).toMatchObject({ code: 'WORKER_CONFLICT', name: 'WorkerConflictError', workerId: 'w1' });
    expect(error.cause).toBeDefined();
    expect((await registry.list())[0]?.capacity).toBe(10);
  });

  it('renews on the expected counter, bumps it by one and records the status', async () => {
    await registry.register(worker('w1'));
    const first = await registry.heartbeat('w1', 0, { linkCount: 12, draining: false });
    const second = await registry.heartbeat('w1', 1, { linkCount: 9, draining: true });
    expect(first).toEqual(worker('w1', { counter: 1, linkCount: 12 }));
    expect(second).toEqual(worker('w1', { counter: 2, linkCount: 9, draining: true }));
    expect(await registry.list()).toEqual([second]);
  });

  it('refuses a heartbeat on a counter that moved on, and changes nothing', async () => {
    await registry.register(worker('w1'));
    await registry.heartbeat('w1', 0, { linkCount: 1, draining: false });
    const error = await conflictOf(registry.heartbeat('w1', 0, { linkCount: 99, draining: true }));
    expect(error).toMatchObject({ workerId: 'w1', code: 'WORKER_CONFLICT' });
    expect(await registry.list()).toEqual([worker('w1', { counter: 1, linkCount: 1 })]);
  });

  it('refuses a heartbeat once a peer removed the worker, and does not bring it back', async () => {
    await registry.register(worker('w1'));
    expect(await registry.removeIfUnchanged('w1', 0)).toBe(true);
    await conflictOf(registry.heartbeat('w1', 0, { linkCount: 0, draining: false }));
    expect(await registry.list()).toEqual([]);
  });

  it('lets exactly one of several concurrent heartbeats on the same counter win', async () => {
    await registry.register(worker('w1'));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => registry.heartbeat('w1', 0, { linkCount: i, draining: false })),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of results.filter((result) => result.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(WorkerConflictError);
    }
    expect((await registry.list())[0]?.counter).toBe(1);
  });

  it('removes a presumed-dead peer only while its counter is the one observed', async () => {
    await registry.register(worker('alive'));
    await registry.register(worker('dead'));
    await registry.heartbeat('alive', 0, { linkCount: 0, draining: false });
    expect(await registry.removeIfUnchanged('alive', 0)).toBe(false);
    expect(await registry.removeIfUnchanged('dead', 0)).toBe(true);
    expect(await registry.removeIfUnchanged('dead', 0)).toBe(false);
    expect((await registry.list()).map((w) => w.workerId)).toEqual(['alive']);
  });

  it('deregisters a worker, and deregistering an absent one is harmless', async () => {
    await registry.register(worker('w1'));
    await registry.register(worker('w2'));
    await registry.deregister('w1');
    await registry.deregister('w1');
    await registry.deregister('never-was');
    expect((await registry.list()).map((w) => w.workerId)).toEqual(['w2']);
  });

  it('lists every worker across result pages, and nothing but workers', async () => {
    const links = new DynamoDbLinkStore({ client, tableName });
    await links.create({ ...parseLinkId('rtm:A1:T1'), snapshot: connecting(t0) }, t0);
    // Counts the registry's Queries by wrapping its document client's `send`.
    const documents = DynamoDBDocumentClient.from(client);
    const send = documents.send.bind(documents) as (command: unknown) => Promise<unknown>;
    let queries = 0;
    documents.send = ((command: unknown) => {
      if (command instanceof QueryCommand) queries++;
      return send(command);
    }) as typeof documents.send;
    const counted = new DynamoDbWorkerRegistry({ client: documents, tableName });
    // Long ids (kept under the 1 KB sort-key limit) push the partition past one 1 MB Query page.
    const ids = Array.from({ length: 600 }, (_, i) => `w${String(i).padStart(3, '0')}`);
    const padding = 'x'.repeat(950);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => registry.register(worker(`${id}-${padding}`))));
    }
    const listed = await counted.list();
    expect(listed.map((w) => w.workerId.slice(0, 4)).sort()).toEqual(ids);
    expect(queries).toBeGreaterThan(1);
  });

  it('keeps worker items out of the link indexes', async () => {
    const links = new DynamoDbLinkStore({ client, tableName });
    await registry.register(worker('w1'));
    await registry.heartbeat('w1', 0, { linkCount: 4, draining: true });
    const documents = DynamoDBDocumentClient.from(client);
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: workerKey('w1') }));
    expect(Item).toMatchObject({ pk: 'WORKERS', sk: 'WORKER#w1' });
    for (const attribute of linkIndexAttributes) expect(Item).not.toHaveProperty(attribute);
    expect((await links.listByOwner('w1')).items).toEqual([]);
    for (const state of ['connecting', 'open', 'backoff', 'inactive', 'revoked'] as const) {
      expect((await links.listByState(state)).items).toEqual([]);
    }
  });
};
