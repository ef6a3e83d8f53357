// Item keys of the one Lifeline table. Every item type lives under its own prefix so a key can
// never collide across types; the sort key repeats the partition key because each entity is a
// single item today, which leaves room for sub-items later without a migration.

export interface ItemKey {
  pk: string;
  sk: string;
}

const single = (id: string): ItemKey => ({ pk: id, sk: id });

export const linkKey = (linkId: string): ItemKey => single(`LINK#${linkId}`);

export const installationKey = (appId: string, teamId: string): ItemKey =>
  single(`INSTALL#${appId}#${teamId}`);

export const workerKey = (workerId: string): ItemKey => single(`WORKER#${workerId}`);

export const eventKey = (eventId: string): ItemKey => single(`EVENT#${eventId}`);
