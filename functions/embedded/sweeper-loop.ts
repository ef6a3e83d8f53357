import { sweepLinks, type SweepDeps } from '../../shared/app';

/**
 * The embedded mode's sweeper: the same backstop AWS runs every minute (`functions/sweeper`),
 * so a link nothing is retrying (an overdue backoff, an owner that vanished without a trace)
 * is picked up here too. Runs are never concurrent; a failed run is logged and retried next time.
 */
export function startSweeperLoop(deps: SweepDeps, everyMs = 60_000): { stop(): void } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    try {
      const report = await sweepLinks(deps);
      if (report.ownerLost + report.reannounced + report.deadWorkers.length > 0) deps.log.warn('sweeper repaired links', { ...report });
    } catch (error) {
      deps.log.error('sweep failed', { error });
    }
    if (!stopped) timer = setTimeout(() => void run(), everyMs);
    timer?.unref?.();
  };
  timer = setTimeout(() => void run(), everyMs);
  timer.unref?.();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
