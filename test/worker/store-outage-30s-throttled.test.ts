import { storeFaultCase } from './support/outage-case';

/** Every write throttled for 30 s (`ProvisionedThroughputExceededException`); reads pass. */
storeFaultCase('throttled writes', { kind: 'throttle-writes' }, 30_000);
