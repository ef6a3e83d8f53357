import { FencedWriteError, type ConnectCommand, type LinkRecord } from '../../shared/ports';
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
 * How long a take-over keeps trying to learn whether its claim landed, while its socket (and the
 * giver's) stays open: about a lease. A store silent that long is away, and nothing moves then.
 */
const CLAIM_SETTLE_MS = 10_000;
const CLAIM_RETRY_FIRST_MS = 200;
const CLAIM_RETRY_MAX_MS = 2_000;

/**
 * The claim, until its outcome is known. Only one claim conditioned on `epoch` can land, so a
 * claim whose answer did not come (timed out on a saturated store) is sent again: if the first
 * landed meanwhile, the second is refused as fenced; if the first lands later, after the second,
 * it is the one refused. A refusal is an answer, so it is followed by a read, which tells our own
 * landed claim (the SDK's retries do the same) from a peer's. What was: a claim that timed out was
 * followed by a read, and a read that came back before the claim was written ("not ours") was
 * taken for lost: our socket closed, the claim landed, the giver read the link moved and closed
 * its own, and the link waited for the orphan repair (6 links, 1-43 s without a socket, in a
 * 2,000-link join on a loaded machine).
 */
async function claimOrFindClaimed(worker: HandoffTaker, linkId: string, epoch: number): Promise<LinkRecord> {
  const { deps } = worker;
  // Leaving or fenced since the hand-off arrived: claim nothing (our socket closes, the giver keeps its own).
  if (worker.state !== 'running' || worker.isFencing) throw new Error(`not taking a hand-off while ${worker.isFencing ? 'fencing' : worker.state}`);
  const giveUpAt = deps.clock.now() + CLAIM_SETTLE_MS;
  let wait = CLAIM_RETRY_FIRST_MS;
  for (;;) {
    try {
      // `open`: a link parked (an operator's disable, an uninstall) or dropped since the offer is
      // not taken; claimed anyway, the taker owned an inactive link and held a socket for it.
      return await deps.links.claim({ id: linkId, owner: deps.workerId, expectedEpoch: epoch, expectedState: 'open', now: deps.clock.now() });
    } catch (error) {
      if (error instanceof FencedWriteError) {
        const link = await readAnswered(worker, linkId, giveUpAt);
        if (link?.owner === deps.workerId && link.epoch === epoch + 1) return link;
        throw error;
      }
      if (deps.clock.now() + wait > giveUpAt) throw error;
      deps.log.debug('hand-off claim not answered; sending it again', { linkId, error });
    }
    await sleep(wait);
    wait = Math.min(CLAIM_RETRY_MAX_MS, wait * 2);
  }
}

/** The link, read until the store answers (or `until`). */
async function readAnswered(worker: HandoffTaker, linkId: string, until: number): Promise<LinkRecord | undefined> {
  let wait = CLAIM_RETRY_FIRST_MS;
  for (;;) {
    try {
      return await worker.deps.links.get(linkId);
    } catch (error) {
      if (worker.deps.clock.now() + wait > until) throw error;
    }
    await sleep(wait);
    wait = Math.min(CLAIM_RETRY_MAX_MS, wait * 2);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
