import type { LinkStateName, PersistedSnapshot } from '../../domain';
import type { LinkIdentity, LinkRecord } from '../../ports';
import { linkKey } from '../../schema';

// The mapping between a LinkRecord and its DynamoDB item, in one place. The denormalized fields
// are always computed from the snapshot here, so the indexes cannot disagree with it.

export type LinkItem = Record<string, unknown>;

/** Snapshots are JSON-safe by contract; the round trip drops `undefined`, which DynamoDB rejects. */
const plain = (snapshot: PersistedSnapshot): PersistedSnapshot =>
  JSON.parse(JSON.stringify(snapshot)) as PersistedSnapshot;

export interface SnapshotFields {
  snapshot: PersistedSnapshot;
  state: LinkStateName;
  attempt: number;
  dueAt: number;
  nextAttemptAt?: number;
  lastError?: string;
}

export const snapshotFields = (snapshot: PersistedSnapshot, now: number): SnapshotFields => {
  const { context, value } = snapshot;
  const fields: SnapshotFields = {
    snapshot: plain(snapshot),
    state: value,
    attempt: context.attempt,
    // Only a backoff link is waiting for a time; the others sort by their last write.
    dueAt: value === 'backoff' && context.nextAttemptAt !== undefined ? context.nextAttemptAt : now,
  };
  if (context.nextAttemptAt !== undefined) fields.nextAttemptAt = context.nextAttemptAt;
  if (context.lastError !== undefined) fields.lastError = context.lastError;
  return fields;
};

export const newLinkItem = (identity: LinkIdentity, snapshot: PersistedSnapshot, now: number, owner?: string): LinkItem => {
  const item: LinkItem = {
    ...linkKey(identity.id),
    linkId: identity.id,
    protocol: identity.protocol,
    appId: identity.appId,
    ...snapshotFields(snapshot, now),
    epoch: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  if (identity.teamId !== undefined) item.teamId = identity.teamId;
  if (identity.slot !== undefined) item.slot = identity.slot;
  if (owner !== undefined) Object.assign(item, { owner, epoch: 1 });
  return item;
};

const optional = <T>(item: LinkItem, name: string): T | undefined =>
  item[name] === undefined ? undefined : (item[name] as T);

export const toLinkRecord = (item: LinkItem): LinkRecord => {
  const record: LinkRecord = {
    id: item.linkId as string,
    protocol: item.protocol as LinkRecord['protocol'],
    appId: item.appId as string,
    snapshot: item.snapshot as PersistedSnapshot,
    state: item.state as LinkStateName,
    attempt: item.attempt as number,
    epoch: item.epoch as number,
    version: item.version as number,
    createdAt: item.createdAt as number,
    updatedAt: item.updatedAt as number,
  };
  const copy = <K extends keyof LinkRecord>(key: K): void => {
    const value = optional<LinkRecord[K]>(item, key);
    if (value !== undefined) record[key] = value;
  };
  copy('teamId');
  copy('slot');
  copy('nextAttemptAt');
  copy('lastError');
  copy('owner');
  return record;
};
