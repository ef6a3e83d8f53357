import { waitFor, type World } from '../harness/world';

/**
 * Waits until nothing can still act on a link: no worker holds a runner for it, no workflow
 * execution runs for it, and no connect command is queued or being claimed. From then on a
 * connect could only follow a new event, so "no further connect" is proven by asserting at once,
 * with no sleep guessing how long "later" is. A connect that a broken worker still had coming
 * (a retry it scheduled, a runner it kept) holds this wait until it has happened, so the
 * assertion after it sees that connect.
 */
export async function linkAtRest(world: World, linkId: string, timeoutMs = 10_000): Promise<void> {
  const busy = (): string[] => {
    const reasons: string[] = [];
    if (world.workers.some((w) => w.runners.has(linkId))) reasons.push('a worker holds a runner');
    const running = world.workflow.executions().filter((e) => e.status === 'RUNNING' && (e.input as { linkId?: string }).linkId === linkId);
    if (running.length > 0) reasons.push(`${running.length} workflow execution(s) running`);
    const { visible, inFlight } = world.queue.stats();
    if (visible + inFlight > 0) reasons.push(`${visible + inFlight} connect command(s) queued`);
    return reasons;
  };
  await waitFor(() => busy().length === 0, timeoutMs, () => `${linkId} at rest: ${busy().join(', ')}`);
}
