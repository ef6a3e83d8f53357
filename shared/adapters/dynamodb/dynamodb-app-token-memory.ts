import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppTokenMemory } from '../../ports';
import { appTokenKey } from '../../schema';
import { documentClient, isConditionFailure } from './document-client';

export interface DynamoDbAppTokenMemoryOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: { now(): number };
}

/**
 * AppTokenMemory on the one table: `APPTOKEN#<app>` holds the fingerprint. One conditional write
 * both compares and remembers, so of the workers a deploy starts together with a new app token,
 * exactly one sees "changed" (and brings the pool back); the others find it already remembered.
 */
export class DynamoDbAppTokenMemory implements AppTokenMemory {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: { now(): number };

  constructor(options: DynamoDbAppTokenMemoryOptions) {
    this.documents = documentClient(options.client);
    this.tableName = options.tableName;
    this.clock = options.clock ?? Date;
  }

  async remember(appId: string, fingerprint: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appTokenKey(appId),
          UpdateExpression: 'SET #type = :type, #fp = :fp, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(#fp) OR #fp <> :fp',
          ExpressionAttributeNames: { '#type': 'type', '#fp': 'fingerprint' },
          ExpressionAttributeValues: { ':type': 'app-token', ':fp': fingerprint, ':now': this.clock.now() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
