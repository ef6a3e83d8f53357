import { storeFaultCase } from './support/outage-case';

/**
 * Degrade, don't drop: two real worker processes whose store sits behind a fault proxy, RTM
 * links and a Socket Mode pool, events flowing throughout. 10 s is several of the children's
 * leases (3 s; what a minute is at the default 20 s lease): past every deadline the old rule
 * had. The other faults at full length, each in a file of its own so they run side by
 * side: `store-outage-long` (30 s refused, 30 s held), `store-outage-60s-refused`,
 * `store-outage-60s-slow`, `store-outage-30s-throttled`.
 */
storeFaultCase('store unreachable (connections refused)', { kind: 'refuse' }, 10_000, { rtmLinks: 6, smSlots: 2 });
