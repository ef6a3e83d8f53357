import type { ConnectCommand } from '../ports';

/** What the planner needs of a worker: its heartbeat's numbers (`WorkerRecord` has them all). */
export interface FleetMember {
  workerId: string;
  capacity: number;
  linkCount: number;
  draining: boolean;
  /**
   * Registered and not yet renewed (heartbeat counter 0): its count was written before its intake
   * began, so it says 0 while the worker may already be taking commands. Rebalancing leaves such a
   * worker out until its first renewal: at `npm start` one worker took 4 of 5 new links in the
   * first second, and planning on the newcomer's 0 moved two Socket Mode slots straight after
   * their connects, two more `apps.connections.open` of the app's Tier 1 budget.
   */
  settling?: boolean;
}

export interface RebalanceSettings {
  /**
   * How far above its share a worker may hold before it gives links away, as a fraction of the
   * share (0.05: 5 %). It then gives down to its share, so small differences never move a link.
   */
  tolerance: number;
}

/** One hand-off to send: the link, and the worker meant to take it. */
export interface PlannedMove {
  linkId: string;
  to: string;
}

/**
 * Each active worker's share of the fleet's links: the total (draining workers' links
 * included, they are leaving) spread evenly over the workers that are not draining, a worker's
 * share never above its capacity (what it cannot hold is spread over the others). Whole links,
 * the remainder one each to the first workers by id, so every worker computes the same shares.
 */
export function fairShares(fleet: readonly FleetMember[]): Map<string, number> {
  const shares = new Map<string, number>();
  let left = fleet.reduce((sum, w) => sum + w.linkCount, 0);
  // Smallest capacity first: a worker that cannot hold an even part is filled, the rest share the remainder.
  const active = fleet.filter((w) => !w.draining).sort((a, b) => a.capacity - b.capacity || a.workerId.localeCompare(b.workerId));
  for (let i = 0; i < active.length; i++) {
    const worker = active[i] as FleetMember;
    const even = Math.ceil(left / (active.length - i));
    const share = Math.min(worker.capacity, even);
    shares.set(worker.workerId, share);
    left -= share;
  }
  for (const worker of fleet) if (worker.draining) shares.set(worker.workerId, 0);
  return shares;
}

/** Above this many links, a worker gives links away: its share plus the tolerance (at least one link). */
export function giveThreshold(share: number, settings: RebalanceSettings): number {
  return share + Math.max(1, Math.floor(share * settings.tolerance));
}

/**
 * Which of `self`'s links go where, now. Peers still `settling` are left out (neither counted
 * nor fed). Nothing while the store is degraded (a claim could not be written) or when `self` is
 * within its share plus tolerance; otherwise down to its share (a draining worker: everything),
 * at most `budget` links, only from `candidates` (links with an
 * open socket that did not just move), to workers below their share and below capacity. Each
 * under-loaded worker's room is split among the givers in proportion to their surplus, so
 * givers planning on the same heartbeats do not all fill the same worker.
 */
export function planMoves(input: {
  self: string;
  fleet: readonly FleetMember[];
  candidates: readonly string[];
  budget: number;
  settings: RebalanceSettings;
  storeDegraded: boolean;
}): PlannedMove[] {
  const { self, candidates, settings } = input;
  const fleet = input.fleet.filter((w) => w.workerId === self || !w.settling);
  const me = fleet.find((w) => w.workerId === self);
  if (input.storeDegraded || !me || input.budget <= 0 || candidates.length === 0) return [];
  const shares = fairShares(fleet);
  const slack = (share: number) => Math.max(1, Math.floor(share * settings.tolerance));
  // A worker below its share less the tolerance (one that just joined or came back) is fed by
  // every worker above its share, even one within its own tolerance: else 8/11/11 stays so.
  const starving = fleet.some((w) => {
    const share = shares.get(w.workerId) ?? 0;
    return !w.draining && w.linkCount < share - slack(share) && w.linkCount < w.capacity;
  });
  const surplusOf = (w: FleetMember): number => {
    const share = shares.get(w.workerId) ?? 0;
    if (w.draining) return w.linkCount;
    return w.linkCount > giveThreshold(share, settings) || (starving && w.linkCount > share) ? w.linkCount - share : 0;
  };
  const mySurplus = surplusOf(me);
  if (mySurplus <= 0) return [];
  const totalSurplus = fleet.reduce((sum, w) => sum + surplusOf(w), 0);
  const rooms = fleet
    .filter((w) => !w.draining && w.workerId !== self)
    .map((w) => ({ workerId: w.workerId, room: Math.min(shares.get(w.workerId) ?? 0, w.capacity) - w.linkCount }))
    .filter((r) => r.room > 0);
  // My part of each worker's room; rounded up so a lone link still moves, capped by the room.
  const parts = rooms.map((r) => ({ workerId: r.workerId, left: Math.min(r.room, Math.ceil((r.room * mySurplus) / totalSurplus)) }));
  let quota = Math.min(mySurplus, input.budget, candidates.length);
  const moves: PlannedMove[] = [];
  // Round-robin over the receivers, so a batch spreads evenly rather than filling one at a time.
  let next = 0;
  while (quota > 0 && parts.some((p) => p.left > 0)) {
    const part = parts[next % parts.length] as { workerId: string; left: number };
    next += 1;
    if (part.left <= 0) continue;
    moves.push({ linkId: candidates[moves.length] as string, to: part.workerId });
    part.left -= 1;
    quota -= 1;
  }
  return moves;
}

/**
 * Where a draining worker sends each of its links: spread over the workers not draining, first
 * up to each one's share, then up to capacity, round-robin. A link no worker has room for gets
 * no target (`to` undefined): any peer with room may take it, as before targets existed.
 */
export function planDrain(self: string, fleet: readonly FleetMember[], links: readonly string[]): { linkId: string; to?: string }[] {
  const view = fleet.map((w) => (w.workerId === self ? { ...w, draining: true } : w));
  const shares = fairShares(view);
  const receivers = view.filter((w) => !w.draining);
  const toShare = receivers.map((w) => ({ workerId: w.workerId, left: Math.max(0, (shares.get(w.workerId) ?? 0) - w.linkCount) }));
  const toCapacity = receivers.map((w) => ({ workerId: w.workerId, left: Math.max(0, w.capacity - w.linkCount) }));
  const plan: { linkId: string; to?: string }[] = [];
  let i = 0;
  for (const rounds of [toShare, toCapacity]) {
    let next = 0;
    while (i < links.length && rounds.some((r) => r.left > 0)) {
      const round = rounds[next % rounds.length] as { workerId: string; left: number };
      next += 1;
      if (round.left <= 0) continue;
      plan.push({ linkId: links[i] as string, to: round.workerId });
      round.left -= 1;
      // Taken up to its share, a worker has that much less room below capacity.
      const cap = toCapacity.find((c) => c.workerId === round.workerId);
      if (rounds === toShare && cap) cap.left -= 1;
      i += 1;
    }
  }
  for (; i < links.length; i++) plan.push({ linkId: links[i] as string });
  return plan;
}

/** What a worker does with a hand-off command it received. */
export type HandoffRoute =
  | { action: 'take' }
  /** Not for us: send it on (`hops` + 1), acking this copy. */
  | { action: 'pass'; command: ConnectCommand }
  /** Dropped (acked, not taken): the giver keeps the link and its socket. */
  | { action: 'drop'; reason: string }
  /** Not ours to take and not ours to pass on: leave it unacked, for a peer. */
  | { action: 'leave' };

/**
 * Passed on at most this many times per live worker before the hop limit applies. A queue hands
 * a message to whichever worker polls next, so a hand-off reaches its target after about as many
 * hops as there are workers; a busy target polls less often than the workers passing it on.
 */
const HOPS_PER_WORKER = 8;

/**
 * The receiver's side. A hand-off names its target (`handoffTo`); every other worker passes it
 * on through the queue, which hands it to whoever polls next, until the hop limit: then a
 * rebalancing hand-off is dropped (the link simply stays where it is) and a drain's goes to any
 * worker with room (the alternative is the drain's give-up: a gap). The target takes it only
 * while that keeps it at or below its capacity and, for a rebalancing move, its share: the
 * heartbeats another worker planned on may be seconds old.
 */
export function routeHandoff(input: {
  self: string;
  command: ConnectCommand;
  /** Links this worker holds or is claiming now (live, not the heartbeat's). */
  held: number;
  capacity: number;
  fleet: readonly FleetMember[];
}): HandoffRoute {
  const { self, command, held, capacity, fleet } = input;
  if (command.handoffFrom === self) {
    // Our own hand-off came back: pass a targeted one on; an untargeted one (a drain's, which
    // stopped our intake anyway) is left for a peer.
    return command.handoffTo ? pass(command) : { action: 'leave' };
  }
  const hopLimit = HOPS_PER_WORKER * Math.max(2, fleet.length);
  const hops = command.hops ?? 0;
  // Nobody took it in twice the limit: every worker is full or gone. The giver keeps the link
  // (a drain gives it up to the restart workflow at its deadline).
  if (hops >= 2 * hopLimit) return { action: 'drop', reason: `not taken after ${hops} hops` };
  const forUs = command.handoffTo === undefined || command.handoffTo === self;
  if (!forUs && hops < hopLimit) return pass(command);
  if (!forUs && command.handoffKind !== 'drain') return { action: 'drop', reason: `not taken by ${command.handoffTo} after ${hops} hops` };
  // Ours, or a drain's past its hop limit (anyone with room takes it).
  if (held + 1 > capacity) return command.handoffKind === 'rebalance' ? { action: 'drop', reason: 'at capacity' } : pass(command);
  if (command.handoffKind === 'rebalance') {
    const known = fleet.some((w) => w.workerId === self);
    const view = known ? fleet.map((w) => (w.workerId === self ? { ...w, linkCount: held } : w)) : [...fleet, { workerId: self, capacity, linkCount: held, draining: false }];
    const share = fairShares(view).get(self) ?? 0;
    if (held + 1 > share) return { action: 'drop', reason: `would hold ${held + 1}, above its share of ${share}` };
  }
  return { action: 'take' };
}

function pass(command: ConnectCommand): HandoffRoute {
  return { action: 'pass', command: { ...command, hops: (command.hops ?? 0) + 1 } };
}
