import { sleep } from '../stats';
import type { SocketSpan, TruthWatcher } from '../truth-watcher';

/**
 * Waits until `key` holds exactly one socket that has been open for at least `minAgeMs` (by the
 * simulator's hello time), and returns it. A lane is only faulted from this steady state, so a
 * trial never starts while the system is still busy with a previous one.
 */
export async function steadySocket(watcher: TruthWatcher, key: string, minAgeMs: number, timeoutMs: number): Promise<SocketSpan | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = watcher.openSpans(key);
    const only = open.length === 1 ? open[0] : undefined;
    const now = Date.now();
    if (only && now - only.helloAt >= minAgeMs) return only;
    if (now >= deadline) return undefined;
    const wait = only ? Math.min(minAgeMs - (now - only.helloAt), deadline - now) : 50;
    await sleep(Math.max(10, Math.min(wait, 1_000)));
  }
}
