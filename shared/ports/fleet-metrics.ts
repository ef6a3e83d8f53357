/**
 * What the autoscaler reads (issue 16): each worker's links held against its capacity, summed
 * over the fleet. On AWS the points carry one dimension, the fleet, never the worker, so
 * `Sum(LinksHeld) / Sum(Capacity)` over a period is the fleet's utilisation whatever the number
 * of workers (ARCHITECTURE.md, "Scaling the fleet").
 */
export interface FleetReport {
  /** Links this worker owns now (open or connecting): what counts against its capacity. */
  linksHeld: number;
  /** Links this worker may hold at most (`WorkerOptions.capacity`). */
  capacity: number;
}

export interface FleetMetrics {
  /** One report. Throws a `RangeError` naming the field for a count that is not a whole number ≥ 0 (capacity ≥ 1). */
  report(sample: FleetReport): void;
}

/** Checks a report before any adapter writes it: a bad point would skew the fleet's sums for a whole period. */
export function checkFleetReport(sample: FleetReport): FleetReport {
  const { linksHeld, capacity } = sample;
  if (!Number.isSafeInteger(linksHeld) || linksHeld < 0) throw new RangeError(`fleet report: linksHeld must be a whole number ≥ 0, got ${String(linksHeld)}`);
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`fleet report: capacity must be a whole number ≥ 1, got ${String(capacity)}`);
  return { linksHeld, capacity };
}
