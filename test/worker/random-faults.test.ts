import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';
import { linkAtRest } from './support/at-rest';

/** A small seeded PRNG (mulberry32): a failing run can be replayed from its printed seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.LIFELINE_FAULT_SEED ?? Date.now() % 1_000_000);
const RTM_LINKS = 190;
const APPS = 5; // × 2 slots = 10 Socket Mode links
const FAULT_MS = 8_000;
/** Longest time a workspace may hold two sockets: a make-before-break swap, or a black hole until it is detected. */
const MAX_OVERLAP_MS = 3_000;

describe(`randomized faults, 2 workers, ${RTM_LINKS + APPS * 2} links (seed ${SEED})`, () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({
      simulator: { socketMode: { ackTimeoutMs: 500, retryDelaysMs: [0, 300, 600, 1_000, 2_000], warningLeadMs: 400 } },
      visibilityTimeoutMs: 3_000,
    });
    await world.startWorker();
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  it('keeps every invariant', async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const rtm: Awaited<ReturnType<World["addRtmLink"]>>[] = [];
    for (let i = 0; i < RTM_LINKS; i += 1) rtm.push(await world.addRtmLink());
    const apps: Array<Awaited<ReturnType<World["addSocketModeApp"]>> & { teamId: string }> = [];
    for (let i = 0; i < APPS; i += 1) {
      const app = await world.addSocketModeApp(2);
      apps.push({ ...app, teamId: world.sim.addWorkspace({ appId: app.appId }).teamId });
    }
    const allIds = [...rtm.map((l) => l.linkId), ...apps.flatMap((a) => a.linkIds)];
    await waitFor(async () => (await Promise.all(allIds.map((id) => world.link(id)))).every((l) => l.state === 'open'), 30_000, () => 'initial open');

    // Watch overlap: how long each key holds more sockets than it has links.
    const overlapSince = new Map<string, number>();
    let worstOverlap = { key: '', ms: 0, sockets: 0 };
    const keys = [...rtm.map((l) => ({ key: l.teamId, links: 1 })), ...apps.map((a) => ({ key: a.appId, links: 2 }))];
    const sampler = setInterval(() => {
      const now = Date.now();
      for (const { key, links } of keys) {
        const open = world.sim.truth.openNow(key);
        if (open > links) {
          const since = overlapSince.get(key) ?? now;
          overlapSince.set(key, since);
          if (now - since > worstOverlap.ms || open > worstOverlap.sockets) worstOverlap = { key, ms: Math.max(worstOverlap.ms, now - since), sockets: Math.max(open, worstOverlap.sockets) };
        } else overlapSince.delete(key);
      }
    }, 20);

    // Faults, at random, for FAULT_MS; events to Socket Mode apps all along.
    const parked = new Map<string, string>(); // linkId → teamId
    const emitted: string[] = [];
    const faultEnds = Date.now() + FAULT_MS;
    while (Date.now() < faultEnds) {
      const link = pick(rtm);
      const app = pick(apps);
      const roll = random();
      if (roll < 0.2) world.sim.faults.kill({ teamId: link.teamId });
      else if (roll < 0.3) world.sim.faults.close({ teamId: link.teamId }, pick([1000, 1001, 1011, 4000]));
      else if (roll < 0.38) world.sim.faults.blackHole({ teamId: link.teamId }, 1_500);
      else if (roll < 0.48) world.sim.faults.goodbye({ teamId: link.teamId });
      else if (roll < 0.55) world.sim.faults.disconnect({ appId: app.appId }, pick(['refresh_requested', 'warning'] as const));
      else if (roll < 0.6) world.sim.faults.kill({ appId: app.appId });
      else if (roll < 0.64) world.sim.faults.refuseUpgrades({ key: link.teamId, count: 1 }, 408);
      else if (roll < 0.67) world.sim.faults.withholdHello({ key: link.teamId, count: 1 });
      else if (roll < 0.7 && !parked.has(link.linkId)) {
        world.sim.setTokenStatus(link.botToken, pick(['inactive', 'revoked', 'unknown'] as const));
        parked.set(link.linkId, link.teamId);
      }
      for (let i = 0; i < 3; i += 1) emitted.push(world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'message', n: emitted.length }, { via: ['socket_mode'] })[0]!.eventId);
      await new Promise((r) => setTimeout(r, 40 + random() * 80));
    }

    // Settle: every active link open, every parked link parked, every event delivered.
    const active = allIds.filter((id) => !parked.has(id));
    await waitFor(async () => (await Promise.all(active.map((id) => world.link(id)))).every((l) => l.state === 'open'), 30_000, () => 'active links open again');
    await waitFor(async () => (await Promise.all([...parked.keys()].map((id) => world.link(id)))).every((l) => l.state === 'inactive' || l.state === 'revoked'), 15_000, () => 'parked links parked');
    const deliveredIds = () => new Set(world.sinkEvents.map((e) => (e.payload as { event_id?: string }).event_id));
    await waitFor(() => emitted.every((id) => deliveredIds().has(id)), 20_000, () => `undelivered: ${emitted.filter((id) => !deliveredIds().has(id)).length}`);
    await waitFor(() => keys.every(({ key, links }) => world.sim.truth.openNow(key) === (parked.has(rtm.find((l) => l.teamId === key)?.linkId ?? '') ? 0 : links)), 10_000, () => 'socket counts settle');
    clearInterval(sampler);

    // Parked links make no connect calls once parked.
    const callsAtPark = new Map([...parked].map(([id, team]) => [id, world.sim.truth.calls('rtm.connect', team).length]));
    // A restart execution still waiting out its backoff (≤ the 60 s cap) holds this until it ends.
    for (const id of parked.keys()) await linkAtRest(world, id, 65_000);
    for (const [id, team] of parked) expect(world.sim.truth.calls('rtm.connect', team).length, id).toBe(callsAtPark.get(id));

    expect(worstOverlap.ms, JSON.stringify(worstOverlap)).toBeLessThanOrEqual(MAX_OVERLAP_MS);
    for (const { key, links } of keys) expect(world.sim.truth.maxOpen(key), key).toBeLessThanOrEqual(links * 2);
    expect(emitted.length).toBeGreaterThan(50);
    console.log(`seed ${SEED}: ${emitted.length} events delivered, ${parked.size} links parked, worst overlap ${JSON.stringify(worstOverlap)}`);
  }, 120_000);
});
