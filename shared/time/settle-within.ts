export type Settled<T> = { done: true; value: T } | { done: false };

/**
 * Waits for `work` at most `ms`: its value if it settled in time (a rejection is rethrown), else
 * `{ done: false }` while the work goes on. The timer is cleared either way.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value): Settled<T> => ({ done: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
