import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Shared by the coordination adapters (worker registry, event dedupe); the link store keeps its own.

/** A plain client is wrapped in a document client; a document client is used as given. */
export const documentClient = (client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient =>
  client instanceof DynamoDBDocumentClient ? client : DynamoDBDocumentClient.from(client);

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
