import { storeFaultCase } from './support/outage-case';

/** Every store call 2 s late for a minute: past the dedupe claim's 1 s bound, inside the 3 s call timeout. */
storeFaultCase('slow store (every call 2 s late)', { kind: 'latency', ms: 2_000 }, 60_000);
