import { GetCommand, PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbEventDedupe } from '../../shared/adapters/dynamodb';
import { eventKey, linkIndexAttributes, linkTable } from '../../shared/schema';
import { eventDedupeContract } from '../adapters/event-dedupe-contract';
import { describeOnEngines } from '../support/engines';
import { createLinkTable } from '../support/link-tables';

const t0 = 1_700_000_000_000;

describeOnEngines((engine) => {
  describe('the EventDedupe contract', () => {
    eventDedupeContract(async (timings) => {
      const tableName = await createLinkTable(engine.client());
      return new DynamoDbEventDedupe({ client: engine.client(), tableName, ...timings });
    });
  });

  it('stores a claim as an EVENT# item expiring (TTL, epoch seconds) no earlier than the claim', async () => {
    const client = engine.client();
    const tableName = await createLinkTable(client);
    const dedupe = new DynamoDbEventDedupe({ client, tableName, completedMs: 60_000 });
    await dedupe.claimOnce('Ev42', t0 + 300);
    const { Item } = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({ TableName: tableName, Key: eventKey('Ev42'), ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ pk: 'EVENT#Ev42', sk: 'EVENT#Ev42', eventId: 'Ev42', claimState: 'completed' });
    expect(Item?.[linkTable.timeToLiveAttribute]).toBe(Math.ceil((t0 + 60_300) / 1000));
    expect(Item?.[linkTable.timeToLiveAttribute] * 1000).toBeGreaterThanOrEqual(t0 + 60_300);
    for (const attribute of linkIndexAttributes) expect(Item).not.toHaveProperty(attribute);
  });

  it('takes over an expired claim whose item TTL has not deleted yet (TTL deletion is lazy)', async () => {
    const client = engine.client();
    const tableName = await createLinkTable(client);
    const dedupe = new DynamoDbEventDedupe({ client, tableName, inProgressMs: 3_000, completedMs: 60_000 });
    const read = async () =>
      (await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: eventKey('Ev1'), ConsistentRead: true }))).Item;
    await dedupe.claimOnce('Ev1', t0);
    expect((await dedupe.claim('Ev1', t0 + 60_000)).state).toBe('claimed');
    expect(await read()).toMatchObject({ claimState: 'in-progress', claimedAt: t0 + 60_000, [linkTable.timeToLiveAttribute]: Math.ceil((t0 + 63_000) / 1000) });
  });

  it('reads an item written before claims had states as a completed claim (a rolling deploy)', async () => {
    const client = engine.client();
    const tableName = await createLinkTable(client);
    await DynamoDBDocumentClient.from(client).send(new PutCommand({
      TableName: tableName,
      Item: { ...eventKey('Ev7'), eventId: 'Ev7', claimedAt: t0, claimedUntil: t0 + 600_000, [linkTable.timeToLiveAttribute]: Math.ceil((t0 + 600_000) / 1000) },
    }));
    const dedupe = new DynamoDbEventDedupe({ client, tableName });
    expect(await dedupe.claim('Ev7', t0 + 1)).toEqual({ state: 'completed' });
  });
});
