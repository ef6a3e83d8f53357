/**
 * Worker membership: each worker heartbeats its own item (O(workers) writes, not O(links)).
 * Peers judge liveness by a heartbeat counter unchanged for a full lease on their own clock, so
 * no clock synchronisation is needed.
 */
export interface WorkerRecord {
  workerId: string;
  /** Grows by one with every renewal. */
  counter: number;
  leaseMs: number;
  capacity: number;
  linkCount: number;
  draining: boolean;
  startedAt: number;
  /**
   * The snapshot version this worker's release writes (`SnapshotVersions.current`). Peers write
   * no newer version than the lowest live one, so a rolling deploy never hands a worker a
   * snapshot it cannot read. Absent on items of releases before it was recorded: version 1.
   */
  machineVersion?: number;
}

export interface WorkerRegistry {
  /** Creates the worker's item (counter 0). Fails with `WorkerConflictError` if it exists. */
  register(worker: WorkerRecord): Promise<void>;
  /** Renews: `counter = expectedCounter + 1` if the item still exists with that counter. */
  heartbeat(workerId: string, expectedCounter: number, status: { linkCount: number; draining: boolean }): Promise<WorkerRecord>;
  list(): Promise<WorkerRecord[]>;
  /** Deletes a presumed-dead peer if its counter is still the one observed. False if it moved on or is gone. */
  removeIfUnchanged(workerId: string, observedCounter: number): Promise<boolean>;
  /** A worker leaving cleanly removes itself. */
  deregister(workerId: string): Promise<void>;
}

/**
 * A renewal was refused. `gone` (no `currentCounter`): a peer presumed the worker dead and removed
 * its item; it must stop holding links. A counter that moved *up* is the worker's own renewal
 * whose answer was lost (a timed-out call that landed): peers only ever delete a worker's item.
 */
export class WorkerConflictError extends Error {
  readonly code = 'WORKER_CONFLICT';

  constructor(
    readonly workerId: string,
    message: string,
    options?: { cause?: unknown; currentCounter?: number },
  ) {
    super(message, options);
    this.name = new.target.name;
    if (options?.currentCounter !== undefined) this.currentCounter = options.currentCounter;
  }

  /** The item's counter when the renewal was refused; absent when the item is gone. */
  readonly currentCounter?: number;
}
