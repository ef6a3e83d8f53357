import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_DEDUPE_TIMINGS, type DedupeClaim, type EventDedupe, type EventDedupeTimings } from '../../ports';
import { eventKey, linkTable } from '../../schema';
import { documentClient, isConditionFailure } from './document-client';

export interface DynamoDbEventDedupeOptions extends Partial<EventDedupeTimings> {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

const names = { '#pk': linkTable.partitionKey.name, '#until': 'claimedUntil' };
const live = 'attribute_not_exists(#pk) OR #until <= :now';

/**
 * EventDedupe on the one table: one `EVENT#<key>` item per payload, `claimState` in-progress or
 * completed, written with conditional puts and updates. The table's TTL attribute (`expiresAt`,
 * epoch seconds, rounded up so an item is never deleted early) removes old items, but TTL deletion
 * is lazy (up to days late; never on dynalite, whose sweep does it), so an expired-but-present item
 * must not count: every condition also accepts an item whose `claimedUntil` (milliseconds, exact)
 * has passed, which gives this adapter exactly the memory twin's expiry. The answer is stored as a
 * JSON string: an ack payload may hold empty strings and nesting DynamoDB maps would reshape.
 */
export class DynamoDbEventDedupe implements EventDedupe {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly timings: EventDedupeTimings;

  constructor(options: DynamoDbEventDedupeOptions) {
    this.documents = documentClient(options.client);
    this.tableName = options.tableName;
    this.timings = {
      inProgressMs: options.inProgressMs ?? DEFAULT_DEDUPE_TIMINGS.inProgressMs,
      completedMs: options.completedMs ?? DEFAULT_DEDUPE_TIMINGS.completedMs,
    };
  }

  async claim(key: string, now: number): Promise<DedupeClaim> {
    // A claim that fails finds the item; if that item is gone by the read (released, or expired
    // and deleted), the claim is tried again. Two rounds settle any interleaving but a storm.
    for (let round = 0; round < 3; round++) {
      const holder = randomUUID();
      if (await this.put(key, now, { claimState: 'in-progress', holder }, now + this.timings.inProgressMs)) return { state: 'claimed', holder };
      const found = await this.read(key, now);
      if (found) return found;
    }
    throw new Error(`event dedupe: the claim of ${key} kept changing under us`);
  }

  async complete(key: string, holder: string, now: number, answer?: unknown): Promise<boolean> {
    const until = now + this.timings.completedMs;
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: eventKey(key),
          UpdateExpression: 'SET #state = :completed, #until = :until, #ttl = :ttl' + (answer === undefined ? ' REMOVE #answer' : ', #answer = :answer'),
          ConditionExpression: 'attribute_exists(#pk) AND #holder = :holder',
          ExpressionAttributeNames: { '#pk': names['#pk'], '#until': names['#until'], '#state': 'claimState', '#holder': 'holder', '#ttl': linkTable.timeToLiveAttribute, '#answer': 'answer' },
          ExpressionAttributeValues: {
            ':completed': 'completed', ':until': until, ':ttl': Math.ceil(until / 1000), ':holder': holder,
            ...(answer === undefined ? {} : { ':answer': JSON.stringify(answer) }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(key: string, holder: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: eventKey(key),
          ConditionExpression: '#holder = :holder AND #state = :progress',
          ExpressionAttributeNames: { '#holder': 'holder', '#state': 'claimState' },
          ExpressionAttributeValues: { ':holder': holder, ':progress': 'in-progress' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async claimOnce(key: string, now: number): Promise<boolean> {
    return this.put(key, now, { claimState: 'completed', holder: randomUUID() }, now + this.timings.completedMs);
  }

  async forget(key: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: eventKey(key) }));
  }

  private async put(key: string, now: number, fields: { claimState: string; holder: string }, until: number): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...eventKey(key),
            eventId: key,
            ...fields,
            claimedAt: now,
            claimedUntil: until,
            [linkTable.timeToLiveAttribute]: Math.ceil(until / 1000),
          },
          ConditionExpression: live,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The live claim of `key`, or undefined when there is none (gone, or expired). */
  private async read(key: string, now: number): Promise<DedupeClaim | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: eventKey(key), ConsistentRead: true }));
    if (!Item || typeof Item.claimedUntil !== 'number' || Item.claimedUntil <= now) return undefined;
    if (Item.claimState === 'in-progress') return { state: 'in-progress', holder: String(Item.holder), until: Item.claimedUntil };
    // Items written before states existed carry no `claimState`: they were completed claims.
    return typeof Item.answer === 'string' ? { state: 'completed', answer: JSON.parse(Item.answer) as unknown } : { state: 'completed' };
  }
}
