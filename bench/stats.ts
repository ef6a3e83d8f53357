/**
 * A latency sample where some trials never finished within their cap. Those count as slower
 * than every finished trial: a percentile that lands on one is unknown (null), never the cap.
 */
export interface Sample {
  values: number[];
  timedOut: number;
}

export function emptySample(): Sample {
  return { values: [], timedOut: 0 };
}

/** Nearest-rank percentile (p in 0..100); null when the rank falls on a timed-out trial or there are no trials. */
export function percentile(sample: Sample, p: number): number | null {
  const n = sample.values.length + sample.timedOut;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  if (rank > sample.values.length) return null;
  const sorted = [...sample.values].sort((a, b) => a - b);
  return sorted[rank - 1] ?? null;
}

export function trials(sample: Sample): number {
  return sample.values.length + sample.timedOut;
}

export function merge(...samples: Sample[]): Sample {
  return { values: samples.flatMap((s) => s.values), timedOut: samples.reduce((n, s) => n + s.timedOut, 0) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
