import { planDrain } from '../../shared/app';
import type { WorkerRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';
import type { LinkRunner } from './link-runner';

/** What the drain needs of its worker. */
export interface DrainHost {
  readonly deps: WorkerDeps;
  readonly runners: ReadonlyMap<string, LinkRunner>;
  /** Hand-offs this worker is taking now: one that lands while we drain goes on with the rest. */
  readonly handoffsInFlight: ReadonlySet<string>;
  /** The peer a link is already on its way to (a rebalance in flight): its drain copy goes there too. */
  targetOf(linkId: string): string | undefined;
}

/**
 * A hand-off still ours this long after it was sent, once no link moved for `STALLED_MS`, is sent
 * again, to the same peer while that peer is live: the peer's socket or claim failed (a refused
 * upgrade, a claim timed out on a saturated store) or the copy was dropped, and nothing else would
 * try again before the deadline gave the link up (a gap: the restart workflow's reconnect, 5-8 s
 * at 2,000 links). The same peer, because a copy it is still taking is dropped there (one
 * take-over per link at a time), so a resend never opens a third socket; another peer only if
 * that one left. Only once moves stalled: while the takers still work through the first copies
 * (700 links take them 5-15 s on a saturated store), a resend is only a second copy to read and
 * drop (641 of 686 were sent again at 5 s alone, and that drain took longer).
 */
const RESEND_MS = 5_000;
const STALLED_MS = 2_000;
/**
 * Reads in flight at once while watching which links moved. One at a time (what was) took 4-14 s
 * a pass over 700 links on a busy store, and each link moved meanwhile kept two sockets that long.
 */
const READ_CONCURRENCY = 25;
const PASS_MS = 100;

/**
 * The drain's hand-offs, make-before-break: each open link is handed to a peer (`planDrain`: by
 * room below share, then capacity, each hand-off naming its taker); the peer opens its socket and
 * claims; our socket closes once a read shows the claim moved. Until `deadline`, a link not moved
 * is sent again (`RESEND_MS`, once moves stalled) and keeps its socket meanwhile, and a link that
 * comes to hold an open socket during the drain (a connect that finished, a hand-off we were
 * taking) is handed too.
 * What is left at the deadline is the caller's to give up. `fleetAtStart`: the heartbeats read
 * as the drain began (after our own renewal said `draining`); a resend reads them again.
 */
export async function handOffForDrain(host: DrainHost, fleetAtStart: readonly WorkerRecord[], deadline: number): Promise<{ handedOff: number; resent: number }> {
  const { deps } = host;
  const self = deps.workerId;
  const sent = new Map<string, { at: number; epoch: number; to: string | undefined }>();
  let fleet = fleetAtStart;
  let handedOff = 0;
  let resent = 0;
  let movedAt = deps.clock.now();
  while (deps.clock.now() < deadline) {
    const open = [...host.runners.values()].filter((r) => !r.isStopped && r.hasOpenSocket);
    if (open.length === 0 && host.handoffsInFlight.size === 0) break;
    const now = deps.clock.now();
    const due = open.filter((r) => {
      const last = sent.get(r.id);
      return !last || last.epoch !== r.fence.epoch || (now - last.at >= RESEND_MS && now - movedAt >= STALLED_MS);
    });
    if (due.length > 0) {
      const again = due.filter((r) => sent.has(r.id));
      if (again.length > 0) fleet = await deps.registry.list().catch(() => fleet);
      const live = new Set(fleet.filter((w) => w.workerId !== self && !w.draining).map((w) => w.workerId));
      const planned = new Map(planDrain(self, fleet, due.map((r) => r.id)).map((p) => [p.linkId, p.to]));
      await Promise.all(
        due.map(async (runner) => {
          const before = sent.get(runner.id)?.to ?? host.targetOf(runner.id);
          const to = before !== undefined && live.has(before) ? before : planned.get(runner.id);
          sent.set(runner.id, { at: now, epoch: runner.fence.epoch, to });
          await deps.queue
            .send({ linkId: runner.id, epoch: runner.fence.epoch, handoffFrom: self, handoffKind: 'drain', ...(to ? { handoffTo: to, hops: 0 } : {}) })
            .catch((error) => deps.log.warn('drain hand-off not sent', { linkId: runner.id, error }));
        }),
      );
      resent += again.length;
      if (again.length > 0) deps.log.info('drain: hand-offs not taken yet, sent again', { links: again.length });
    }
    const watched = open.filter((r) => sent.has(r.id) && !r.isStopped);
    await inLanes(watched, READ_CONCURRENCY, async (runner) => {
      const link = await deps.links.get(runner.id).catch(() => undefined);
      if (link && (link.owner !== self || link.epoch !== runner.fence.epoch) && !runner.isStopped) {
        await runner.stop('handed off');
        handedOff += 1;
        movedAt = deps.clock.now();
      }
    });
    await sleep(PASS_MS);
  }
  return { handedOff, resent };
}

async function inLanes<T>(items: readonly T[], lanes: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await each(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
