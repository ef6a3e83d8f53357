import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../../ports';
import { linkTable } from '../../schema';

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Decides what has expired: the injected clock, so tests sweep an hour in a moment. */
  clock: { now(): number };
  /** Between sweeps. Default 60,000 (DynamoDB itself deletes lazily; a minute is plenty). */
  intervalMs?: number;
  log?: Logger;
}

export interface TtlSweeper {
  /** One sweep now; the number of items it deleted. */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * DynamoDB's TTL for dynalite, which has none: deletes every item whose TTL attribute
 * (`expiresAt`, epoch seconds) has passed. Each delete is conditional on the item still being
 * expired, so an item re-written since the scan (a claim taken again) stays. Only dedupe items
 * carry the attribute; links and workers are never touched.
 */
export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const documents = DynamoDBDocumentClient.from(options.client);
  const names = { '#ttl': linkTable.timeToLiveAttribute };
  let running: Promise<number> | undefined;

  const sweepOnce = async (): Promise<number> => {
    const cutoff = Math.floor(options.clock.now() / 1000);
    let deleted = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({
        TableName: options.tableName,
        FilterExpression: '#ttl <= :cutoff',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { ...names, '#pk': linkTable.partitionKey.name, '#sk': linkTable.sortKey.name },
        ExpressionAttributeValues: { ':cutoff': cutoff },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const key of page.Items ?? []) {
        try {
          await documents.send(new DeleteCommand({
            TableName: options.tableName, Key: key, ConditionExpression: '#ttl <= :cutoff', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':cutoff': cutoff },
          }));
          deleted += 1;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return deleted;
  };

  // One sweep at a time: a slow one (a refusing disk) is not stacked on.
  const sweep = (): Promise<number> => (running ??= sweepOnce().finally(() => (running = undefined)));
  const timer = setInterval(() => {
    sweep().then(
      (deleted) => { if (deleted > 0) options.log?.debug('expired items removed', { deleted }); },
      (error: unknown) => options.log?.warn('expired-item sweep failed; the next one retries', { error }),
    );
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
