import { describe } from 'vitest';
import { describeOnEngines } from '../support/engines';
import { applyEventConcurrencyContract } from './apply-event-concurrency-contract';
import { applyEventContract } from './apply-event-contract';
import { applyEventKnownContract } from './apply-event-known-contract';

// applyEvent on a real LinkStore, against dynalite and against AWS's DynamoDB Local.
describeOnEngines((engine) => {
  describe('single writer and staged races', () => applyEventContract(engine));
  describe('concurrent writers', () => applyEventConcurrencyContract(engine));
  describe('stepping a known record', () => applyEventKnownContract(engine));
});
