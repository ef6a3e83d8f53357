import type { WorkerRecord } from '../../ports';
import { workerKey } from '../../schema';

// The mapping between a WorkerRecord and its item. Worker items carry none of the link index
// attributes (`owner`, `linkId`, `state`, `dueAt`), so they never appear in the link GSIs.

export type WorkerItem = Record<string, unknown>;

export const newWorkerItem = (worker: WorkerRecord): WorkerItem => ({
  ...workerKey(worker.workerId),
  workerId: worker.workerId,
  counter: 0,
  leaseMs: worker.leaseMs,
  capacity: worker.capacity,
  linkCount: worker.linkCount,
  draining: worker.draining,
  startedAt: worker.startedAt,
  ...(worker.machineVersion === undefined ? {} : { machineVersion: worker.machineVersion }),
});

export const toWorkerRecord = (item: WorkerItem): WorkerRecord => ({
  workerId: item.workerId as string,
  counter: item.counter as number,
  leaseMs: item.leaseMs as number,
  capacity: item.capacity as number,
  linkCount: item.linkCount as number,
  draining: item.draining as boolean,
  startedAt: item.startedAt as number,
  ...(typeof item.machineVersion === 'number' ? { machineVersion: item.machineVersion } : {}),
});
