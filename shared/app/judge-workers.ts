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
 *
 * A store outage between the two looks silences every worker without killing any, and the first
 * renewals after it land within a heartbeat of the store answering (a failed renewal is retried
 * at once, then at most a heartbeat apart). So the unmoved ones get one more look after a
 * heartbeat's worth (`confirmMs`, default a quarter lease, the workers' default heartbeat) and
 * only those still unmoved are judged: a worker alive behind an outage that just ended is spared.
 */
export async function judgeWorkers(deps: JudgeWorkersDeps, options: { marginMs?: number; confirmMs?: number } = {}): Promise<WorkerVerdicts> {
  const first = await deps.registry.list();
  if (first.length === 0) return { live: new Set(), dead: [] };
  const longestLease = Math.max(...first.map((worker) => worker.leaseMs));
  await deps.sleep(longestLease + (options.marginMs ?? 1_000));
  const second = new Map((await deps.registry.list()).map((worker): [string, WorkerRecord] => [worker.workerId, worker]));
  const unmoved = first.filter((before) => second.get(before.workerId)?.counter === before.counter);
  if (unmoved.length === 0) return { live: new Set(second.keys()), dead: [] };
  await deps.sleep(options.confirmMs ?? Math.ceil(longestLease / 4));
  const third = new Map((await deps.registry.list()).map((worker): [string, WorkerRecord] => [worker.workerId, worker]));
  const dead: string[] = [];
  for (const before of unmoved) {
    if (third.get(before.workerId)?.counter !== before.counter) continue;
    if (!(await deps.registry.removeIfUnchanged(before.workerId, before.counter))) continue;
    third.delete(before.workerId);
    dead.push(before.workerId);
  }
  return { live: new Set(third.keys()), dead };
}
