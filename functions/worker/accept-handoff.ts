import type { ConnectCommand, LinkRecord } from '../../shared/ports';
import { LinkRunner, type RunnerHost } from './link-runner';
import type { Rebalancer } from './rebalance';

/**
 * A hop waits `PASS_STEP_MS` × hops (at most `PASS_MAX_MS`) before the copy is sent on. Without
 * it the workers passing a hand-off, polling as fast as IPC answers, used its hop limit up among
 * themselves before a busy target (opening the sockets it was handed) polled again: 46 of ~190
 * moves dropped after 24 hops. 24 hops now take at least 7.5 s; the hand-off holds the passer's
 * claim slot meanwhile, far below the queue's visibility timeout.
 */
const PASS_STEP_MS = 25;
const PASS_MAX_MS = 1_000;
const passDelayMs = (hops: number): number => Math.min(PASS_MAX_MS, PASS_STEP_MS * hops);

/** What taking a hand-off needs of the worker. */
export interface HandoffTaker extends RunnerHost {
  readonly runners: Map<string, LinkRunner>;
  /** The worker's state (`Worker.state`): only a running worker keeps what it took. */
  readonly state: string;
  readonly isFencing: boolean;
  readonly handoffsInFlight: Set<string>;
  readonly rebalancer: Rebalancer;
}

/**
 * A hand-off received (a drain's or a rebalance's): taken if it names us (or no one) and we have
 * room, sent on toward the worker it names, or dropped, the giver keeping the link
 * (`routeHandoff`). `held`: the links we hold or are claiming, besides this one.
 */
export async function receiveHandoff(worker: HandoffTaker, command: ConnectCommand, ack: () => Promise<void>, held: number): Promise<void> {
  const route = worker.rebalancer.route(command, held);
  if (route.action === 'leave') return;
  if (route.action === 'pass') {
    await new Promise((resolve) => setTimeout(resolve, passDelayMs(route.command.hops ?? 1)));
    await worker.deps.queue.send(route.command);
  }
  if (route.action === 'drop') worker.deps.log.debug('hand-off not taken', { linkId: command.linkId, from: command.handoffFrom, reason: route.reason });
  if (route.action === 'take' && (await acceptHandoff(worker, command.linkId, command.epoch, command.handoffFrom as string))) {
    worker.rebalancer.noteTaken(command.linkId);
  }
  await ack();
}

/**
 * Takes a link handed over by `from` (a drain or a rebalance), make-before-break: our socket
 * opens first, then the claim moves the link under epoch fencing; the giver closes its socket
 * once it reads that. False if the link moved on meanwhile, or our socket or claim failed (the
 * giver keeps the link).
 *
 * The runner joins `runners` only once the claim is ours: reconcile judges every runner by the
 * fence the store holds, and this one's (epoch + 1) is not there until the claim, so reconcile
 * would stop it between its socket and its claim, leaving the link claimed with no socket until
 * the orphan repair a lease later (seen once in 620 moves). The link is among the worker's
 * claims in flight meanwhile, which keeps that repair off it.
 */
export async function acceptHandoff(worker: HandoffTaker, linkId: string, epoch: number, from: string): Promise<boolean> {
  if (worker.handoffsInFlight.has(linkId)) return false;
  worker.handoffsInFlight.add(linkId);
  try {
    return await take(worker, linkId, epoch, from);
  } finally {
    worker.handoffsInFlight.delete(linkId);
  }
}

async function take(worker: HandoffTaker, linkId: string, epoch: number, from: string): Promise<boolean> {
  const { deps } = worker;
  const link = await deps.links.get(linkId);
  if (!link || link.owner !== from || link.epoch !== epoch || link.state !== 'open') return false;
  const runner = new LinkRunner(worker, link, { owner: deps.workerId, epoch: epoch + 1 });
  const taken = await runner.takeOver(() => claimOrFindClaimed(worker, linkId, epoch));
  if (!taken || runner.isStopped) return false;
  if (worker.isFencing) {
    // A peer may hold our links: this one goes with the rest (the fence closed the others already).
    await runner.stop('self-fenced');
    return false;
  }
  if (worker.state !== 'running' && worker.state !== 'draining') {
    // Stopped meanwhile, the drain already done: give it up as the drain does its leftovers.
    await runner.handle({ type: 'OWNER_LOST' });
    await runner.stop('drained');
    return false;
  }
  // Draining (it began during the claim): the drain hands this link on with the rest, as it waits
  // for take-overs in flight. Given up here (what was), the giver, reading the link moved, closed
  // its socket too: a gap until the restart workflow reconnected it.
  await worker.runners.get(linkId)?.stop('superseded by a hand-off');
  worker.runners.set(linkId, runner);
  return true;
}

/**
 * The claim, and if it failed, one look at whether it landed anyway: an attempt that timed out
 * on a slow store may have been written, and the SDK's retry then finds its own write and fails
 * as fenced. Taken for lost, the runner closed its socket while the giver, reading the link
 * moved, closed its own: a link claimed by us with no socket until the orphan repair.
 */
async function claimOrFindClaimed(worker: HandoffTaker, linkId: string, epoch: number): Promise<LinkRecord> {
  const { deps } = worker;
  // Leaving or fenced since the hand-off arrived: claim nothing (our socket closes, the giver keeps its own).
  if (worker.state !== 'running' || worker.isFencing) throw new Error(`not taking a hand-off while ${worker.isFencing ? 'fencing' : worker.state}`);
  try {
    return await deps.links.claim({ id: linkId, owner: deps.workerId, expectedEpoch: epoch, now: deps.clock.now() });
  } catch (error) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const link = await deps.links.get(linkId).catch(() => undefined);
      if (link?.owner === deps.workerId && link.epoch === epoch + 1) return link;
      if (link) break; // answered, and not ours: the claim was lost
    }
    throw error;
  }
}
