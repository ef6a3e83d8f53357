import type { WorkerRecord, WorkerRegistry } from '../ports';

export interface JudgeWorkersDeps {
  registry: WorkerRegistry;
  /** Waits on the caller's own clock; injected so tests need not sleep. */
  sleep(ms: number): Promise<void>;
}

export interface WorkerVerdicts {
  /** Workers whose heartbeat moved while we watched, or who registered meanwhile. */
  live: Set<string>;
  /** Workers whose counter stood still for a full lease; their items were removed. */
  dead: string[];
}

/**
 * The peers' rule, for a caller that keeps no memory between runs (the sweeper Lambda): look at
 * the registry, wait one full lease on our own clock, look again. A counter that has not moved
 * belongs to a dead worker, whose item is removed conditionally (if it moved meanwhile, it lives).
 * No clock synchronisation is needed, and an empty registry costs no wait at all.
 */
export async function judgeWorkers(deps: JudgeWorkersDeps, options: { marginMs?: number } = {}): Promise<WorkerVerdicts> {
  const first = await deps.registry.list();
  if (first.length === 0) return { live: new Set(), dead: [] };
  const longestLease = Math.max(...first.map((worker) => worker.leaseMs));
  await deps.sleep(longestLease + (options.marginMs ?? 1_000));
  const second = new Map((await deps.registry.list()).map((worker): [string, WorkerRecord] => [worker.workerId, worker]));
  const dead: string[] = [];
  for (const before of first) {
    const after = second.get(before.workerId);
    if (!after || after.counter !== before.counter) continue;
    if (!(await deps.registry.removeIfUnchanged(before.workerId, before.counter))) continue;
    second.delete(before.workerId);
    dead.push(before.workerId);
  }
  return { live: new Set(second.keys()), dead };
}
