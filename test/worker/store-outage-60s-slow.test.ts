import { storeFaultCase } from './support/outage-case';

/**
 * Every store call 2 s late for a minute (past the dedupe claim's 1 s bound, inside the 3 s call
 * timeout), at the production lease and heartbeat (20 s, 5 s): three leases. The other fault
 * tests scale durations to the children's 3 s lease, but a latency does not scale with it: at a
 * 3 s lease every 2 s call is two thirds of a lease, and a renewal whose answer times out after it
 * landed is followed by a retry that conflicts (an update and a read, 4 s, the counter unmoved),
 * so a peer saw the counter stand still past the lease and removed a live worker (seen under
 * load; at 20 s that stall is a third of a lease). "2 s slow" is a production figure, tested at
 * production timings.
 */
storeFaultCase('slow store (every call 2 s late)', { kind: 'latency', ms: 2_000 }, 60_000, { leaseMs: 20_000, heartbeatMs: 5_000 });
