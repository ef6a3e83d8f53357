import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventDedupe } from '../../ports';
import { eventKey, linkTable } from '../../schema';
import { documentClient, isConditionFailure } from './document-client';

export interface DynamoDbEventDedupeOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** How long a claim holds. Default 10 minutes: Slack retries at +1 and +5 minutes. */
  ttlMs?: number;
}

export const DEFAULT_DEDUPE_TTL_MS = 10 * 60_000;

/**
 * EventDedupe on the one table: a conditional put of `EVENT#<id>`. The table's TTL attribute
 * (`expiresAt`, epoch seconds, rounded up so an item is never deleted early) removes old claims,
 * but TTL deletion is lazy (up to days late), so an expired-but-present item must not count as
 * a claim. The condition therefore also accepts an item whose `claimedUntil` (milliseconds,
 * exact) has passed; keeping that in milliseconds gives this adapter exactly the memory twin's
 * expiry instead of a one-second granularity.
 */
export class DynamoDbEventDedupe implements EventDedupe {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlMs: number;

  constructor(options: DynamoDbEventDedupeOptions) {
    this.documents = documentClient(options.client);
    this.tableName = options.tableName;
    this.ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
  }

  async claim(eventId: string, now: number): Promise<boolean> {
    const claimedUntil = now + this.ttlMs;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...eventKey(eventId),
            eventId,
            claimedAt: now,
            claimedUntil,
            [linkTable.timeToLiveAttribute]: Math.ceil(claimedUntil / 1000),
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #until <= :now',
          ExpressionAttributeNames: { '#pk': linkTable.partitionKey.name, '#until': 'claimedUntil' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(eventId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: eventKey(eventId) }));
  }
}
