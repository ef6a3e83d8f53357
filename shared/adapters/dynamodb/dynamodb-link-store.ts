import type { AttributeValue, DynamoDBClient, GetItemCommandOutput, QueryCommandOutput, UpdateItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { LinkStateName } from '../../domain';
import {
  FencedWriteError,
  LinkExistsError,
  LinkNotFoundError,
  StaleWriteError,
  type ClaimLink,
  type Fence,
  type LinkRecord,
  type LinkStore,
  type NewLink,
  type Page,
  type PageRequest,
  type SaveLink,
  type StateQuery,
} from '../../ports';
import { linkKey, linkTable } from '../../schema';
import { decodeCursor, encodeCursor } from './cursor';
import { newLinkItem, snapshotFields, toLinkRecord, type LinkItem } from './link-item';
import { JsonProtocolCalls } from './json-protocol-calls';
import { equalsCondition, updateExpression } from './update-expression';

export interface DynamoDbLinkStoreOptions {
  /**
   * Any DynamoDB client: the store takes its configuration (credentials, region, endpoint, request
   * handler, retry strategy) and sends DynamoDB's JSON protocol with it directly
   * (`JsonProtocolCalls`), converting items itself, without the SDK's middleware (~0.17 ms of CPU
   * a call less; see ARCHITECTURE "Cold start").
   */
  client: DynamoDBClient;
  tableName: string;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * LinkStore on one DynamoDB table. Uses only single-item conditional writes, consistent reads
 * and index queries, which DynamoDB, DynamoDB Local and dynalite all support. A failed condition
 * is diagnosed with a consistent read rather than ReturnValuesOnConditionCheckFailure, which
 * dynalite lacks; the read is sound because version and epoch only ever grow.
 */
export class DynamoDbLinkStore implements LinkStore {
  private readonly calls: JsonProtocolCalls;
  private readonly tableName: string;

  constructor(options: DynamoDbLinkStoreOptions) {
    this.calls = new JsonProtocolCalls(options.client);
    this.tableName = options.tableName;
  }

  async create(link: NewLink, now: number): Promise<LinkRecord> {
    const item = newLinkItem(link, link.snapshot, now, link.owner);
    try {
      await this.calls.send('PutItem', {
        TableName: this.tableName,
        Item: marshall(item),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': linkTable.partitionKey.name },
      });
    } catch (error) {
      if (isConditionFailure(error)) throw new LinkExistsError(link.id, { cause: error });
      throw error;
    }
    return toLinkRecord(item);
  }

  async get(id: string): Promise<LinkRecord | undefined> {
    const item = await this.getItem(id);
    return item && toLinkRecord(item);
  }

  async save(update: SaveLink): Promise<LinkRecord> {
    const { nextAttemptAt, lastError, ...fields } = snapshotFields(update.snapshot, update.now);
    const set: Record<string, unknown> = { ...fields, updatedAt: update.now, version: update.expectedVersion + 1 };
    const remove: string[] = [];
    if (nextAttemptAt === undefined) remove.push('nextAttemptAt');
    else set.nextAttemptAt = nextAttemptAt;
    if (lastError === undefined) remove.push('lastError');
    else set.lastError = lastError;
    const expected: Record<string, unknown> = { version: update.expectedVersion };
    if (update.fence) Object.assign(expected, { epoch: update.fence.epoch, owner: update.fence.owner });

    return this.conditionalUpdate(update.id, set, remove, expected, (current, cause) => {
      // A fenced writer must stop, not retry, so the fence wins over a version mismatch.
      const fenced = update.fence && fenceError(update.id, update.fence, current, cause);
      if (fenced) return fenced;
      return new StaleWriteError(update.id, update.expectedVersion, current.version as number, { cause });
    });
  }

  async claim(claim: ClaimLink): Promise<LinkRecord> {
    const set = { owner: claim.owner, epoch: claim.expectedEpoch + 1 };
    const expected = { owner: claim.owner, epoch: claim.expectedEpoch };
    const condition = claim.expectedState === undefined ? { epoch: claim.expectedEpoch } : { epoch: claim.expectedEpoch, state: claim.expectedState };
    return this.conditionalUpdate(claim.id, set, [], condition, (current, cause) =>
      new FencedWriteError(claim.id, expected, actualFence(current), { cause }),
    );
  }

  async release(id: string, fence: Fence): Promise<LinkRecord> {
    const { epoch, owner } = fence;
    return this.conditionalUpdate(id, {}, ['owner'], { epoch, owner }, (current, cause) =>
      new FencedWriteError(id, fence, actualFence(current), { cause }),
    );
  }

  async listByState(state: LinkStateName, query: StateQuery = {}): Promise<Page<LinkRecord>> {
    const { partitionKey, sortKey } = linkTable.indexes.byState;
    const names: Record<string, string> = { '#pk': partitionKey.name };
    const values: Record<string, unknown> = { ':pk': state };
    let condition = '#pk = :pk';
    if (query.dueAtOrBefore !== undefined || query.dueAtOrAfter !== undefined) names['#sk'] = sortKey.name;
    if (query.dueAtOrBefore !== undefined) values[':sk'] = query.dueAtOrBefore;
    if (query.dueAtOrAfter !== undefined) values[':after'] = query.dueAtOrAfter;
    // One key condition on the sort key: a range when both bounds are given.
    if (query.dueAtOrBefore !== undefined && query.dueAtOrAfter !== undefined) condition += ' AND #sk BETWEEN :after AND :sk';
    else if (query.dueAtOrBefore !== undefined) condition += ' AND #sk <= :sk';
    else if (query.dueAtOrAfter !== undefined) condition += ' AND #sk >= :after';
    return this.queryIndex(linkTable.indexes.byState.indexName, condition, names, values, query);
  }

  async listByOwner(owner: string, query: PageRequest = {}): Promise<Page<LinkRecord>> {
    const { indexName, partitionKey } = linkTable.indexes.byOwner;
    return this.queryIndex(indexName, '#pk = :pk', { '#pk': partitionKey.name }, { ':pk': owner }, query);
  }

  private async getItem(id: string): Promise<LinkItem | undefined> {
    const result = await this.calls.send<GetItemCommandOutput>('GetItem', { TableName: this.tableName, Key: marshall(linkKey(id)), ConsistentRead: true });
    return result.Item && unmarshall(result.Item);
  }

  /**
   * One conditional UpdateItem returning the new record. On a failed condition, a consistent
   * read decides between "gone" and the caller's own diagnosis of the current item.
   */
  private async conditionalUpdate(
    id: string,
    set: Record<string, unknown>,
    remove: string[],
    expected: Record<string, unknown>,
    diagnose: (current: LinkItem, cause: unknown) => Error,
  ): Promise<LinkRecord> {
    const update = updateExpression(set, remove);
    const condition = equalsCondition(expected);
    try {
      const result = await this.calls.send<UpdateItemCommandOutput>('UpdateItem', {
        TableName: this.tableName,
        Key: marshall(linkKey(id)),
        UpdateExpression: update.expression,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: { ...update.names, ...condition.names },
        ExpressionAttributeValues: marshall({ ...update.values, ...condition.values }),
        ReturnValues: 'ALL_NEW',
      });
      if (!result.Attributes) throw new Error(`UpdateItem on ${id} returned no attributes`);
      return toLinkRecord(unmarshall(result.Attributes));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.getItem(id);
      if (!current) throw new LinkNotFoundError(id, { cause: error });
      throw diagnose(current, error);
    }
  }

  private async queryIndex(
    indexName: string,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    page: PageRequest,
  ): Promise<Page<LinkRecord>> {
    const start = decodeCursor(page.cursor);
    const result = await this.calls.send<QueryCommandOutput>('Query', {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
      ...(page.limit === undefined ? {} : { Limit: page.limit }),
      ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
    });
    const items = (result.Items ?? []).map((item: Record<string, AttributeValue>) => toLinkRecord(unmarshall(item)));
    const cursor = encodeCursor(result.LastEvaluatedKey && unmarshall(result.LastEvaluatedKey));
    return cursor === undefined ? { items } : { items, cursor };
  }
}

const fenceError = (id: string, fence: Fence, current: LinkItem, cause: unknown): FencedWriteError | undefined => {
  const actual = actualFence(current);
  if (actual.epoch === fence.epoch && actual.owner === fence.owner) return undefined;
  return new FencedWriteError(id, fence, actual, { cause });
};

const actualFence = (item: LinkItem): { owner?: string; epoch: number } =>
  item.owner === undefined
    ? { epoch: item.epoch as number }
    : { owner: item.owner as string, epoch: item.epoch as number };
