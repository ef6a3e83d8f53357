import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { WorkerConflictError, type WorkerRecord, type WorkerRegistry } from '../../ports';
import { linkTable, workerKey, workersPartition } from '../../schema';
import { documentClient, isConditionFailure } from './document-client';
import { newWorkerItem, toWorkerRecord, type WorkerItem } from './worker-item';

export interface DynamoDbWorkerRegistryOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

const pk = linkTable.partitionKey.name;

/**
 * WorkerRegistry on the one table. All worker items live in one partition, so `list` is a
 * strongly consistent Query (a peer's fresh heartbeat is never missed by a stale read) and
 * never a Scan over the links. Every write is a single-item conditional write.
 */
export class DynamoDbWorkerRegistry implements WorkerRegistry {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbWorkerRegistryOptions) {
    this.documents = documentClient(options.client);
    this.tableName = options.tableName;
  }

  async register(worker: WorkerRecord): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: newWorkerItem(worker),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': pk },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new WorkerConflictError(worker.workerId, `worker ${worker.workerId} is already registered`, { cause: error });
    }
  }

  async heartbeat(
    workerId: string,
    expectedCounter: number,
    status: { linkCount: number; draining: boolean },
  ): Promise<WorkerRecord> {
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: workerKey(workerId),
          UpdateExpression: 'SET #counter = :next, #linkCount = :linkCount, #draining = :draining',
          ConditionExpression: 'attribute_exists(#pk) AND #counter = :expected',
          ExpressionAttributeNames: { '#pk': pk, '#counter': 'counter', '#linkCount': 'linkCount', '#draining': 'draining' },
          ExpressionAttributeValues: {
            ':next': expectedCounter + 1,
            ':expected': expectedCounter,
            ':linkCount': status.linkCount,
            ':draining': status.draining,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toWorkerRecord(result.Attributes as WorkerItem);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Gone (a peer removed it) or moved (our own renewal landed but its answer was lost).
      const current = await this.getItem(workerId);
      const why = current
        ? `counter is ${String(current.counter)}, expected ${expectedCounter}`
        : 'its item is gone (a peer presumed it dead)';
      throw new WorkerConflictError(workerId, `worker ${workerId} cannot renew: ${why}`, {
        cause: error,
        ...(current ? { currentCounter: Number(current.counter) } : {}),
      });
    }
  }

  async list(): Promise<WorkerRecord[]> {
    const workers: WorkerRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': pk },
          ExpressionAttributeValues: { ':pk': workersPartition },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      workers.push(...(page.Items ?? []).map((item) => toWorkerRecord(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return workers;
  }

  async removeIfUnchanged(workerId: string, observedCounter: number): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: workerKey(workerId),
          ConditionExpression: 'attribute_exists(#pk) AND #counter = :observed',
          ExpressionAttributeNames: { '#pk': pk, '#counter': 'counter' },
          ExpressionAttributeValues: { ':observed': observedCounter },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deregister(workerId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: workerKey(workerId) }));
  }

  private async getItem(workerId: string): Promise<WorkerItem | undefined> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: workerKey(workerId), ConsistentRead: true }),
    );
    return result.Item;
  }
}
