import type { SlackSimulator } from '../../shared/slack-simulator';
import { emptySample, sleep, type Sample } from '../stats';
import type { LinkProtocol, LinkTarget } from '../systems/types';
import type { TruthWatcher } from '../truth-watcher';
import { steadySocket } from './lanes';

export type RecoveryFault = 'kill' | 'blackHole';

export interface RecoveryPlan {
  fault: RecoveryFault;
  /** One trial per lane: each lane is a separate link, faulted once. */
  lanes: readonly LinkTarget[];
  /** Trials start this far apart, so recoveries overlap a little but are not one burst. */
  staggerMs: number;
  /** A socket is faulted only once it has been open this long (see `warmupMs` in plan.ts). */
  minSocketAgeMs: number;
  /** A trial still without a new socket after this is counted as timed out. */
  timeoutMs: number;
  /** Black-hole only: when the simulator itself gives up on the socket (after every timeout). */
  releaseAfterMs: number;
}

export interface RecoveryResult {
  byProtocol: Record<LinkProtocol, Sample>;
  /** Lanes that never reached a steady socket to fault (a system that could not even hold the link). */
  notSteady: number;
}

/**
 * Fault → open again, per trial: the time from injecting the fault into the link's only socket
 * to the simulator's `hello` on the next socket of the same link. Both instants come from the
 * same clock (the simulator's `Date.now()`); nothing the system reports about itself is used.
 */
export async function runRecovery(sim: SlackSimulator, watcher: TruthWatcher, plan: RecoveryPlan): Promise<RecoveryResult> {
  const result: RecoveryResult = { byProtocol: { rtm: emptySample(), socket: emptySample() }, notSteady: 0 };
  // Every lane old enough first, then the stagger: otherwise lanes that opened together would all
  // come of age, and be faulted, in the same burst.
  await Promise.all(plan.lanes.map((lane) => steadySocket(watcher, lane.key, plan.minSocketAgeMs, plan.minSocketAgeMs + 60_000)));
  await Promise.all(plan.lanes.map(async (lane, index) => {
    await sleep(index * plan.staggerMs);
    const socket = await steadySocket(watcher, lane.key, plan.minSocketAgeMs, 10_000);
    if (!socket) {
      result.notSteady += 1;
      return;
    }
    const faultAt = Date.now();
    const hit = plan.fault === 'kill'
      ? sim.faults.kill({ socketId: socket.socketId })
      : sim.faults.blackHole({ socketId: socket.socketId }, plan.releaseAfterMs);
    if (hit !== 1) {
      result.notSteady += 1;
      return;
    }
    const next = await watcher.nextHello(lane.key, socket.socketId, plan.timeoutMs);
    const sample = result.byProtocol[lane.protocol];
    if (next) sample.values.push(next.helloAt - faultAt);
    else sample.timedOut += 1;
  }));
  return result;
}
