import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeWorkerStore, withoutSdkLogging } from '../../functions/worker/compose-store';
import { startDynalite, type RunningEngine } from '../support/dynalite';
import { describeOnEngines, type EngineHandle } from '../support/engines';
import { linkStoreQueriesContract } from './link-store-queries-contract';
import { linkStoreWritesContract } from './link-store-writes-contract';

// The LinkStore contract, run against dynalite and against AWS's DynamoDB Local.
describeOnEngines((engine) => {
  describe('writes', () => linkStoreWritesContract(engine));
  describe('queries', () => linkStoreQueriesContract(engine));
});

// The link store sends with its client's configuration and request handler, not its middleware
// (`JsonProtocolCalls`), so it must hold its contract whatever the middleware: here on a client
// with its stack cached per command type and the SDK's logger removed, as workers' other clients are.
describe('dynalite, on a client without the SDK logger and with its middleware cached', () => {
  let running: RunningEngine | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    running = await startDynalite();
    client = withoutSdkLogging(new DynamoDBClient({
      endpoint: running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      cacheMiddleware: true,
    }));
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });
  const engine: EngineHandle = {
    name: 'dynalite (cacheMiddleware)',
    client: () => {
      if (!client) throw new Error('not running');
      return client;
    },
  };
  describe('writes', () => linkStoreWritesContract(engine));
  describe('queries', () => linkStoreQueriesContract(engine));
  it('has no SDK logger middleware, which a plain client has (the name removed is the SDK\'s)', () => {
    const named = (c: DynamoDBClient) => c.middlewareStack.identify().some((entry) => entry.startsWith('loggerMiddleware'));
    const plain = new DynamoDBClient({ region: 'us-east-1' });
    expect(named(plain)).toBe(true);
    expect(named(engine.client() as DynamoDBClient)).toBe(false);
    const shipped = composeWorkerStore({ region: 'us-east-1', tableName: 'links', dynamodbEndpoint: 'http://127.0.0.1:1' });
    expect(named(shipped.table.client)).toBe(false);
    shipped.destroy();
    plain.destroy();
  });
});
