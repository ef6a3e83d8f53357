import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynaliteServer, type DynaliteServer } from '../../shared/adapters/dynalite';
import { waitFor, World } from './harness/world';

/**
 * The embedded store's disk fails (errors injected at its LevelDB boundary) under real worker
 * processes: the store refuses writes instead of dying, the workers keep their sockets, events
 * keep reaching the bot, and once the disk takes writes again the store resumes.
 */
describe('worker processes while the embedded store refuses writes', () => {
  let world: World;
  let server: DynaliteServer;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-storage-failure-'));

  beforeAll(async () => {
    world = await World.start({
      simulator: { socketMode: { ackTimeoutMs: 1_000, retryDelaysMs: [0, 500, 1_000, 2_000] } },
      engine: async () => {
        server = await startDynaliteServer({ path: join(dir, 'store'), reopenDelaysMs: [100] });
        return { endpoint: server.endpoint, stop: () => server.stop() };
      },
    });
  });
  afterAll(async () => {
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every socket and delivers every event during the failure, and resumes writes after it', { timeout: 60_000 }, async () => {
    // A lease far longer than the failure: what is shown is the store's behaviour, not the fence's.
    const worker = await world.forkWorker({ LIFELINE_LEASE_MS: '30000', LIFELINE_HEARTBEAT_MS: '500' });
    const app = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    const rtm = await world.addRtmLink();
    await world.waitForState(app.linkIds[0]!, 'open');
    await world.waitForState(rtm.linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1 && world.sim.truth.openNow(rtm.teamId) === 1, 5_000);
    const connectsBefore = world.sim.truth.connects(app.appId).length + world.sim.truth.connects(rtm.teamId).length;

    const diskFull = Object.assign(new Error('IO error: 000007.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });
    server.storage!.inject('write', diskFull);
    const emitted = Array.from({ length: 5 }, (_, i) => world.sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'app_mention', i }, { via: ['socket_mode'] })[0]!);
    const delivered = (eventId: string) => world.sinkEvents.filter((e) => (e.payload as { event_id?: string }).event_id === eventId).length;
    await waitFor(() => emitted.every((e) => delivered(e.eventId) === 1), 15_000, 'events delivered while the store refuses writes');
    await waitFor(() => emitted.every((e) => world.sim.truth.envelope(e.envelopeId!)?.ackedAt !== undefined), 15_000, 'events acked');
    // The worker's own writes (heartbeats, dedupe claims) were refused meanwhile, and it lived on.
    await waitFor(() => server.storage!.refused >= 2, 5_000, 'writes refused');
    expect(server.storage!.refusing).toBe(true);
    expect(worker.process.exitCode).toBeNull();
    expect(world.sim.truth.openNow(app.appId)).toBe(1);
    expect(world.sim.truth.openNow(rtm.teamId)).toBe(1);

    server.storage!.inject('write', undefined);
    await waitFor(() => !server.storage!.refusing, 10_000, 'writes resume');
    const [after] = world.sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'app_mention', text: 'after' }, { via: ['socket_mode'] });
    await waitFor(() => delivered(after!.eventId) === 1 && world.sim.truth.envelope(after!.envelopeId!)?.ackedAt !== undefined, 10_000, 'delivered after');
    expect((await world.dedupe.claim(`${app.appId}:${after!.eventId}`, Date.now())).state).toBe('completed');
    // No socket was closed or reopened through all of it.
    expect(world.sim.truth.connects(app.appId).length + world.sim.truth.connects(rtm.teamId).length).toBe(connectsBefore);
    expect((await world.link(app.linkIds[0]!)).state).toBe('open');
  });
});
