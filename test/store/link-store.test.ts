import { describe } from 'vitest';
import { describeOnEngines } from '../support/engines';
import { linkStoreQueriesContract } from './link-store-queries-contract';
import { linkStoreWritesContract } from './link-store-writes-contract';

// The LinkStore contract, run against dynalite and against AWS's DynamoDB Local.
describeOnEngines((engine) => {
  describe('writes', () => linkStoreWritesContract(engine));
  describe('queries', () => linkStoreQueriesContract(engine));
});
