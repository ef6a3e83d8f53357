import { step, type LinkEvent, type PersistedSnapshot, type StepEnv } from '../../shared/domain';

// Snapshots come from the real machine, so the store is tested with exactly what it will hold.

export const fixedEnv = (now: number): StepEnv => ({ now, random: () => 0.5 });

export const snapshotAfter = (events: LinkEvent[], now = 1_700_000_000_000): PersistedSnapshot => {
  let snapshot: PersistedSnapshot | undefined;
  for (const event of events) snapshot = step(snapshot, event, fixedEnv(now)).snapshot;
  if (!snapshot) throw new Error('no events');
  return snapshot;
};

export const connecting = (now?: number): PersistedSnapshot => snapshotAfter([{ type: 'CONNECT' }], now);

export const open = (now?: number): PersistedSnapshot =>
  snapshotAfter([{ type: 'CONNECT' }, { type: 'OPENED' }], now);

export const backoff = (now?: number): PersistedSnapshot =>
  snapshotAfter([{ type: 'CONNECT' }, { type: 'CONNECT_FAILED', error: 'internal_error' }], now);

let counter = 0;
/** A fresh RTM link id; tables are per test, but unique ids keep failures readable. */
export const newLinkId = (app = 'A1'): string => `rtm:${app}:T${(++counter).toString().padStart(4, '0')}`;
