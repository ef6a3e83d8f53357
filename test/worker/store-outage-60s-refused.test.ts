import { storeFaultCase } from './support/outage-case';

/** The longest outage: the store refusing connections for a minute (twenty of the children's leases). */
storeFaultCase('store unreachable (connections refused)', { kind: 'refuse' }, 60_000);
