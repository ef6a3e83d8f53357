import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  InstallationExistsError,
  StaleInstallationError,
  type InstallationKey,
  type InstallationRecord,
  type InstallationStore,
  type ParkInstallation,
  type ParkOutcome,
} from '../../ports';
import { linkTable } from '../../schema';
import { documentClient, isConditionFailure } from './document-client';
import { fromInstallationItem, installationItemKey, toInstallationItem } from './installation-item';

export interface DynamoDbInstallationStoreOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/** Slack's `event_time` has one-second granularity: a token this much newer is surely newer. */
const EVENT_TIME_SLACK_MS = 1_000;

/**
 * InstallationStore on the one table. Every write is conditional: a save on the token version it
 * read (or on absence), a park on the item being active and its grant not newer than the event.
 * Failed conditions are explained by a consistent read, as the link store does.
 */
export class DynamoDbInstallationStore implements InstallationStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbInstallationStoreOptions) {
    this.documents = documentClient(options.client);
    this.tableName = options.tableName;
  }

  async get(key: InstallationKey): Promise<InstallationRecord | undefined> {
    const out = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: installationItemKey(key), ConsistentRead: true }));
    return out.Item ? fromInstallationItem(out.Item) : undefined;
  }

  async save(record: InstallationRecord, expectedTokenVersion: number | undefined): Promise<InstallationRecord> {
    const first = expectedTokenVersion === undefined;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toInstallationItem(record),
          ConditionExpression: first ? 'attribute_not_exists(#pk)' : '#v = :v',
          ExpressionAttributeNames: first ? { '#pk': linkTable.partitionKey.name } : { '#v': 'tokenVersion' },
          ...(first ? {} : { ExpressionAttributeValues: { ':v': expectedTokenVersion } }),
        }),
      );
      return { ...record };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (first) throw new InstallationExistsError(record, { cause: error });
      throw new StaleInstallationError(record, expectedTokenVersion, { cause: error });
    }
  }

  async park(request: ParkInstallation): Promise<{ outcome: ParkOutcome; record?: InstallationRecord }> {
    const names: Record<string, string> = { '#pk': linkTable.partitionKey.name, '#active': 'active' };
    const values: Record<string, unknown> = { ':true': true, ':false': false, ':reason': request.reason, ':now': request.now };
    let condition = 'attribute_exists(#pk) AND #active = :true';
    if (request.eventTime !== undefined) {
      names['#granted'] = 'grantedAt';
      values[':cutoff'] = request.eventTime + EVENT_TIME_SLACK_MS;
      condition += ' AND #granted <= :cutoff';
    }
    try {
      const out = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: installationItemKey(request),
          UpdateExpression: 'SET #active = :false, parkedReason = :reason, parkedAt = :now, updatedAt = :now',
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'parked', ...(out.Attributes ? { record: fromInstallationItem(out.Attributes) } : {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const record = await this.get(request);
      if (!record) return { outcome: 'not_found' };
      return { outcome: record.active ? 'newer_install' : 'already_parked', record };
    }
  }
}
