import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { startDynalite, type RunningEngine } from './dynalite';
import { localClient } from './link-tables';

export interface EngineHandle {
  name: string;
  /** Valid inside tests and hooks, once the engine is up. */
  client(): DynamoDBClient;
}

const describeEngine = (
  name: string,
  start: () => Promise<RunningEngine | string>,
  body: (engine: EngineHandle) => void,
  enabled = true,
): void => {
  // Without Java there is no DynamoDB Local: its tests are reported as skipped (and global
  // setup printed why) rather than silently passing.
  describe.skipIf(!enabled)(name, () => {
    let running: RunningEngine | undefined;
    let client: DynamoDBClient | undefined;
    beforeAll(async () => {
      const started = await start();
      running = typeof started === 'string' ? undefined : started;
      client = localClient(typeof started === 'string' ? started : started.endpoint);
    });
    afterAll(async () => {
      client?.destroy();
      await running?.stop();
    });
    body({
      name,
      client: () => {
        if (!client) throw new Error(`${name} is not running`);
        return client;
      },
    });
  });
};

/**
 * Runs `body` once against in-process dynalite (started per file) and once against the
 * DynamoDB Local that global setup started for the whole run.
 */
export const describeOnEngines = (body: (engine: EngineHandle) => void): void => {
  describeEngine('dynalite', startDynalite, body);
  const endpoint = inject('dynamoDbLocalEndpoint');
  describeEngine('DynamoDB Local', async () => endpoint ?? '', body, endpoint !== undefined);
};
