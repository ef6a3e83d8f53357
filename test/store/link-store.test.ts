import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { startDynalite, type RunningEngine } from '../support/dynalite';
import { describeOnEngines, type EngineHandle } from '../support/engines';
import { linkStoreQueriesContract } from './link-store-queries-contract';
import { linkStoreWritesContract } from './link-store-writes-contract';

// The LinkStore contract, run against dynalite and against AWS's DynamoDB Local.
describeOnEngines((engine) => {
  describe('writes', () => linkStoreWritesContract(engine));
  describe('queries', () => linkStoreQueriesContract(engine));
});

// Workers give the link store a client that caches its resolved middleware per command type
// (`composeWorkerStore`, for a cold start's CPU); the document client refuses such a client, so
// the store must hold its contract on one, where each call's input is still its own.
describe('dynalite, on a client that caches its middleware', () => {
  let running: RunningEngine | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    running = await startDynalite();
    client = new DynamoDBClient({
      endpoint: running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      cacheMiddleware: true,
    });
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
});
