import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLinksIn } from '../../shared/app';
import type { ChildWorker } from './harness/child-worker';
import { waitFor, World } from './harness/world';
import { socketCoverage } from '../support/socket-coverage';
import { LOADED_MACHINE_LIVENESS_ENV } from './harness/loaded-liveness-env';

/**
 * Links follow the fleet: real worker processes (`functions/worker/main.ts`), the simulator's
 * truth for sockets. RTM links: the cheapest kind that takes the whole path (a Web API call for
 * the URL, a socket, `hello`, a fenced claim); events keep flowing to a slice of the teams every
 * 100 ms throughout, each checked delivered exactly once.
 */
/**
 * The issue's 2,000 links (`REBALANCE_TEST_LINKS` for another number). Measured on this 2-core
 * machine in session 6, links added 8 at a time: 45-64 s a run at load 2-5 (what a suite run
 * with two files at a time looks like), 85-105 s at load 10, 180-300 s at load 16-18 (other
 * sessions' tests), where the in-process dynalite saturates (dedupe claims, heartbeats and
 * claims time out) and runs fail on time. 600 links take 17-22 s. Findings of the 2,000-link
 * runs are also covered deterministically by `rebalance-claim-timeout.test.ts` and
 * `rebalance-drain.test.ts`.
 */
const LINKS = Number(process.env.REBALANCE_TEST_LINKS ?? 2_000);
const ENV = {
  ...LOADED_MACHINE_LIVENESS_ENV,
  LIFELINE_CLOSE_TIMEOUT_MS: '1000',
  LIFELINE_DRAIN_TIMEOUT_MS: '60000',
  LIFELINE_REBALANCE_MOVES_PER_MINUTE: '3000',
  LIFELINE_LOG_LEVEL: process.env.REBALANCE_TEST_LOG_LEVEL ?? 'warn',
};

describe('rebalancing: links follow the fleet, make before break', () => {
  let world: World;
  const teams: string[] = [];
  const linkIds: string[] = [];
  const sent: string[] = [];
  let pump: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    world = await World.start({ simulator: { maxTruthRecords: 1_000_000 } });
  }, 60_000);
  afterAll(async () => {
    if (pump) clearInterval(pump);
    if (process.env.REBALANCE_TEST_LOG_LEVEL) {
      const { writeFileSync } = await import('node:fs');
      for (const child of world?.children ?? []) writeFileSync(`/tmp/rebalance-${child.workerId}.log`, child.output.join('\n'));
    }
    await world?.stop();
  }, 60_000);

  /** Each live worker's links, as the store records them (every link open). */
  const owned = () => world.openLinksByOwner();
  let lastCounts = '';
  /** Store reads at most every 500 ms: the wait's 10 ms poll must not load the store the workers use. */
  const paced = (check: () => Promise<boolean>): (() => Promise<boolean>) => {
    let at = 0;
    return async () => {
      if (Date.now() - at < 500) return false;
      at = Date.now();
      return check();
    };
  };
  const evenAmong = (workers: ChildWorker[]) => paced(async () => {
    const counts = await owned();
    lastCounts = JSON.stringify(Object.fromEntries(counts));
    const share = LINKS / workers.length;
    if ([...counts.values()].reduce((a, b) => a + b, 0) !== LINKS) await noteStuck();
    else lastStuck = '';
    return workers.every((w) => Math.abs((counts.get(w.workerId) ?? 0) - share) <= share * 0.1) && [...counts.values()].reduce((a, b) => a + b, 0) === LINKS;
  });
  const everyTeamOnce = () => teams.every((team) => world.sim.truth.openNow(team) === 1);
  const describeCounts = async () => JSON.stringify(Object.fromEntries(await owned()));
  let lastStuck = '';
  /** What the links not open are doing, and the teams without one socket: a failure names them. */
  const noteStuck = async () => {
    const notOpen = await allLinksIn(world.links, ['connecting', 'backoff', 'inactive', 'revoked']);
    const unsocketed = teams.filter((t) => world.sim.truth.openNow(t) !== 1).map((t) => `${t}:${world.sim.truth.openNow(t)}`);
    lastStuck = `; not open: ${JSON.stringify(notOpen.slice(0, 10).map((l) => `${l.id} ${l.state} ${l.owner ?? '-'} e${l.epoch} a${l.attempt}`))}; teams without one socket: ${unsocketed.slice(0, 10).join(' ')}`;
  };
  const counted = () => `counts ${lastCounts}${lastStuck}`;

  it('a third worker joins: each ends within ±10 % of its share, no link without a socket, no event lost or doubled; then one drains, the same', { timeout: 600_000 }, async () => {
    const first = [await world.forkWorker(ENV), await world.forkWorker(ENV)];
    const startedAt = Date.now();
    // Added 8 at a time: one after another, 2,000 links took most of the test's time before anything moved.
    let added = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (added < LINKS) {
        added += 1;
        const { teamId, linkId } = await world.addRtmLink();
        teams.push(teamId);
        linkIds.push(linkId);
      }
    }));
    await waitFor(paced(async () => everyTeamOnce() && (await allLinksIn(world.links, ['open'])).length === LINKS), 240_000, () => `not all open: ${teams.filter((t) => world.sim.truth.openNow(t) !== 1).length} teams without one socket`);
    await waitFor(evenAmong(first), 120_000, () => `two workers never even: ${counted()}`);
    console.info(`rebalance: ${LINKS} links added and open, even on two workers, in ${Date.now() - startedAt} ms`);

    // Events to 5 teams every 100 ms (50 a second), round-robin: every team hears one every 40 s at 2,000 links.
    let seq = 0;
    pump = setInterval(() => {
      for (let i = 0; i < 5; i++) {
        seq += 1;
        const team = teams[seq % teams.length] as string;
        const text = `rebalance-${seq}`;
        sent.push(text);
        world.sim.emitEvent(team, { type: 'message', channel: 'CREBAL', text, ts: `1700000000.${String(seq).padStart(6, '0')}` });
      }
    }, 100);

    // A third worker joins.
    const joinedAt = Date.now();
    const sentBeforeJoin = sent.length;
    const third = await world.forkWorker(ENV);
    const all = [...first, third];
    await waitFor(evenAmong(all), 180_000, () => `three workers never even: ${counted()}`);
    await waitFor(everyTeamOnce, 30_000, () => 'some team without exactly one socket after the moves');
    const evenAt = Date.now();
    const sentWhileJoining = sent.length - sentBeforeJoin;
    const joined = socketCoverage(world.sim.truth, teams, joinedAt, evenAt);
    const moved = [...joined.swaps.values()].reduce((a, b) => a + b, 0);
    console.info(`rebalance: ${LINKS} links, third worker joined → even in ${evenAt - joinedAt} ms, ${moved} swaps, longest overlap ${joined.longestOverlapMs} ms, counts ${await describeCounts()}`);
    expect(joined.gaps).toEqual([]);
    expect(joined.maxConcurrent).toBeLessThanOrEqual(2);
    // Each link moved at most once (no ping-pong), and about a third of them did.
    expect(Math.max(...joined.swaps.values())).toBeLessThanOrEqual(1);
    expect(moved).toBeGreaterThanOrEqual(Math.floor((LINKS / 3) * 0.9));

    // One of the first two drains (SIGTERM, as ECS stops a task): its links spread over the other two.
    const drainedAt = Date.now();
    const sentBeforeDrain = sent.length;
    const leaving = first[0] as ChildWorker;
    leaving.process.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    const staying = [first[1] as ChildWorker, third];
    await waitFor(evenAmong(staying), 120_000, () => `two workers never even after the drain: ${counted()}`);
    await waitFor(everyTeamOnce, 30_000, () => 'some team without exactly one socket after the drain');
    const drainedEvenAt = Date.now();
    const sentWhileDraining = sent.length - sentBeforeDrain;
    const drained = socketCoverage(world.sim.truth, teams, drainedAt, drainedEvenAt);
    console.info(`rebalance: drain → even in ${drainedEvenAt - drainedAt} ms, ${[...drained.swaps.values()].reduce((a, b) => a + b, 0)} swaps, longest overlap ${drained.longestOverlapMs} ms, counts ${await describeCounts()}`);
    expect(drained.gaps).toEqual([]);
    expect(drained.maxConcurrent).toBeLessThanOrEqual(2);
    expect(Math.max(...drained.swaps.values())).toBeLessThanOrEqual(1);

    // Events: every one sent reached the bot, none twice.
    clearInterval(pump);
    pump = undefined;
    const delivered = () => {
      const counts = new Map<string, number>();
      for (const event of world.sinkEvents) {
        const text = (event.payload as { text?: unknown }).text;
        if (typeof text === 'string' && text.startsWith('rebalance-')) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      return counts;
    };
    await waitFor(() => sent.every((text) => delivered().has(text)), 30_000, () => `lost: ${sent.filter((t) => !delivered().has(t)).length} of ${sent.length}`);
    const counts = delivered();
    // Events flowed while links moved, in both phases (50 a second).
    expect(sentWhileJoining).toBeGreaterThan(0);
    expect(sentWhileDraining).toBeGreaterThan(0);
    expect(sent.filter((text) => !counts.has(text))).toEqual([]);
    // Twice only where the store could not be asked (the forwarder's documented rule, "Store
    // outages": without the dedupe store an event is delivered rather than dropped), which a
    // saturated dynalite under this load does; the worker says so per event. Any other double is a bug.
    const undeduped = new Set(world.children.flatMap((child) => child.output.filter((line) => /event dedupe unavailable|could not record a delivered payload/.test(line)).map((line) => /CREBAL:(1700000000\.\d{6})/.exec(line)?.[1])));
    const tsOf = (text: string) => `1700000000.${text.slice('rebalance-'.length).padStart(6, '0')}`;
    expect([...counts].filter(([text, n]) => n > 1 && !undeduped.has(tsOf(text)))).toEqual([]);
  });
});
