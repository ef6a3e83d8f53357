// Item keys of the one Lifeline table. Every item type lives under its own prefix so a key can
// never collide across types; the sort key repeats the partition key because each entity is a
// single item today, which leaves room for sub-items later without a migration. Workers are the
// exception: they share a partition so they can be listed (see `workersPartition`).

export interface ItemKey {
  pk: string;
  sk: string;
}

const single = (id: string): ItemKey => ({ pk: id, sk: id });

export const linkKey = (linkId: string): ItemKey => single(`LINK#${linkId}`);

export const installationKey = (appId: string, teamId: string): ItemKey =>
  single(`INSTALL#${appId}#${teamId}`);

/**
 * Every worker item shares one partition so a worker lists its peers with one consistent Query
 * instead of a Scan over every link. The partition takes O(workers) heartbeat writes, far below
 * a partition's limits for any fleet this system runs.
 */
export const workersPartition = 'WORKERS';

export const workerKey = (workerId: string): ItemKey => ({ pk: workersPartition, sk: `WORKER#${workerId}` });

export const eventKey = (eventId: string): ItemKey => single(`EVENT#${eventId}`);

/** What Lifeline remembers of a Socket Mode app's app token (a fingerprint, never the token). */
export const appTokenKey = (appId: string): ItemKey => single(`APPTOKEN#${appId}`);
