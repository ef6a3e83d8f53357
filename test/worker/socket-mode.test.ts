import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, World } from './harness/world';
import { linkAtRest } from './support/at-rest';
import { holdNextSave } from './support/hold-save';

/** Socket Mode links against the simulator: envelopes, acks, refreshes and fatal notices. */
describe('worker, Socket Mode links', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({
      simulator: { socketMode: { ackTimeoutMs: 1_000, retryDelaysMs: [0, 200, 400], warningLeadMs: 300, serverPingIntervalMs: 1_000 } },
    });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  const openApp = async (slots = 1) => {
    const app = await world.addSocketModeApp(slots);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    for (const id of app.linkIds) await world.waitForState(id, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === slots, 5_000);
    return { ...app, teamId: ws.teamId };
  };
  const delivered = (eventId: string) => world.sinkEvents.filter((e) => (e.payload as { event_id?: string }).event_id === eventId);

  it('delivers an events_api envelope to the sink once, then acks it', async () => {
    const app = await openApp();
    const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention', text: 'hi' }, { via: ['socket_mode'] });
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 1, 5_000);
    expect(delivered(emitted!.eventId)).toHaveLength(1);
    expect(delivered(emitted!.eventId)[0]).toMatchObject({ kind: 'events_api', appId: app.appId, teamId: app.teamId, protocol: 'socket' });
    expect(world.sim.truth.envelopeStats(app.appId).redelivered).toBe(0);
  });

  it('does not ack when the sink refuses, so Slack redelivers, and delivers once it accepts', async () => {
    const app = await openApp();
    world.sinkFailure = new Error('bus down');
    const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention' }, { via: ['socket_mode'] });
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).redelivered >= 1, 5_000);
    expect(world.sim.truth.envelopeStats(app.appId).acked).toBe(0);
    world.sinkFailure = undefined;
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 1, 5_000);
    expect(delivered(emitted!.eventId)).toHaveLength(1);
    expect(world.metrics.points.some((p) => p.name === 'SinkFailures')).toBe(true);
  });

  it('delivers an event once when its ack was lost: the redelivery is deduplicated and acked', async () => {
    const app = await openApp();
    world.sinkDelayMs = 300;
    const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention' }, { via: ['socket_mode'] });
    // The socket dies while the sink holds the event: its ack can never be sent.
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).delivered === 1, 5_000);
    world.sim.faults.kill({ appId: app.appId });
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 1, 8_000);
    world.sinkDelayMs = 0;
    expect(world.sim.truth.envelopeStats(app.appId).redelivered).toBeGreaterThanOrEqual(1);
    // The redelivery is acked only after the sink took it (or the dedupe refused it), so a second
    // delivery would already be in: once the first (held by the slow sink) has landed, count.
    await waitFor(() => delivered(emitted!.eventId).length >= 1, 5_000);
    expect(delivered(emitted!.eventId)).toHaveLength(1);
  });

  it.each(['refresh_requested', 'warning'])('replaces the socket make-before-break on %s, losing no envelope', async (reason) => {
    const app = await openApp();
    const connectsBefore = world.sim.truth.calls('apps.connections.open', app.appId).length;
    world.sim.faults.disconnect({ appId: app.appId }, reason as 'refresh_requested' | 'warning');
    const sent = Array.from({ length: 10 }, (_, i) => world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'message', i }, { via: ['socket_mode'] })[0]!);
    await waitFor(() => world.sim.truth.calls('apps.connections.open', app.appId).length === connectsBefore + 1 && world.sim.truth.openNow(app.appId) === 1, 5_000);
    await waitFor(() => sent.every((s) => delivered(s.eventId).length === 1), 5_000);
    expect(world.sim.truth.maxOpen(app.appId)).toBe(2);
    expect((await world.link(app.linkIds[0]!)).state).toBe('open');
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).pending === 0, 5_000);
    expect(world.sim.truth.envelopeStats(app.appId).dropped).toBe(0);
  });

  it('acks envelopes that were in flight on the old socket before closing it', async () => {
    const app = await openApp();
    world.sinkDelayMs = 200; // well under the simulator's 1 s ack timeout: no redelivery is due
    const sent = Array.from({ length: 5 }, (_, i) => world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'message', i }, { via: ['socket_mode'] })[0]!);
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).delivered === 5, 5_000);
    const oldSocket = world.sim.truth.envelopesOf(app.appId)[0]!.deliveries[0]!.socketId;
    world.sim.faults.disconnect({ appId: app.appId }, 'warning');
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 5, 5_000);
    world.sinkDelayMs = 0;
    const records = world.sim.truth.envelopesOf(app.appId);
    expect(records.map((r) => r.ackSocketId)).toEqual(Array(5).fill(oldSocket));
    expect(world.sim.truth.envelopeStats(app.appId).redelivered).toBe(0);
    expect(sent.every((s) => delivered(s.eventId).length === 1)).toBe(true);
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000);
  });

  // The race this pins down: Slack's refresh of the new socket can arrive while that socket is
  // still being adopted (it was prepared while REFRESH was being written, and that write is slower
  // than a local connect). Holding the write until the second refresh is sent makes the order
  // certain; a runner that ignores the early refresh drops the link when Slack closes the socket.
  it('answers a refresh of the new socket while the old one still waits for its ack, without a drop', async () => {
    const app = await openApp();
    const linkId = app.linkIds[0]!;
    const before = await world.link(linkId);
    const opens = () => world.sim.truth.calls('apps.connections.open', app.appId).length;
    const opensBefore = opens();
    world.sinkDelayMs = 800; // under the 1 s ack timeout: the first socket retires once its ack is sent
    world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'message' }, { via: ['socket_mode'] });
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).delivered === 1, 5_000);
    const [first] = world.sim.sockets({ appId: app.appId });
    const refreshWrite = holdNextSave(world, linkId);
    world.sim.faults.disconnect({ socketId: first!.socketId }, 'refresh_requested');
    // The replacement opens ahead while REFRESH waits to be written.
    await refreshWrite.holding;
    await waitFor(() => opens() === opensBefore + 1 && world.sim.truth.openNow(app.appId) === 2, 5_000);
    const second = world.sim.sockets({ appId: app.appId }).find((s) => s.socketId !== first!.socketId);
    const refreshes = world.refreshesHandled;
    world.sim.faults.disconnect({ socketId: second!.socketId }, 'refresh_requested');
    // The runner has the second refresh before it could switch to that socket.
    await waitFor(() => world.refreshesHandled === refreshes + 1, 5_000);
    refreshWrite.release();
    await waitFor(() => opens() === opensBefore + 2 && world.sim.truth.openNow(app.appId) === 1, 5_000);
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 1, 5_000);
    world.sinkDelayMs = 0;
    const link = await world.link(linkId);
    expect(link.state).toBe('open');
    // Two make-before-break swaps: no DROPPED was ever written, so no close was recorded as an error.
    expect(link.lastError).toBe(before.lastError);
    expect(link.snapshot.context.openedAt).toBe(before.snapshot.context.openedAt);
  });

  it('writes a drop when the new socket dies while the old one still waits for its ack', async () => {
    const app = await openApp();
    const opens = () => world.sim.truth.calls('apps.connections.open', app.appId).length;
    const opensBefore = opens();
    world.sinkDelayMs = 800; // the first socket retires only once its ack is sent
    world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'message' }, { via: ['socket_mode'] });
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).delivered === 1, 5_000);
    const [first] = world.sim.sockets({ appId: app.appId });
    world.sim.faults.disconnect({ socketId: first!.socketId }, 'refresh_requested');
    await waitFor(() => opens() === opensBefore + 1 && world.sim.truth.openNow(app.appId) === 2, 5_000);
    const second = world.sim.sockets({ appId: app.appId }).find((s) => s.socketId !== first!.socketId);
    expect(world.sim.faults.kill({ socketId: second!.socketId })).toBe(1);
    // The serving socket is gone: DROPPED, and the machine's retry brings a third socket.
    await waitFor(async () => (await world.link(app.linkIds[0]!)).lastError === 'close_1006', 5_000);
    await waitFor(() => opens() === opensBefore + 2 && world.sim.truth.openNow(app.appId) === 1, 10_000);
    world.sinkDelayMs = 0;
    expect((await world.waitForState(app.linkIds[0]!, 'open')).state).toBe('open');
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked === 1, 5_000);
  });

  it('parks on link_disabled and does not loop on connects', async () => {
    const app = await openApp();
    world.sim.faults.disableSocketMode(app.appId);
    const link = await world.waitForState(app.linkIds[0]!, 'inactive');
    expect(link.snapshot.context.parkedReason).toBe('link_disabled');
    await linkAtRest(world, app.linkIds[0]!);
    // The notice parks the link: the call that opened it is the only one.
    expect(world.sim.truth.calls('apps.connections.open', app.appId)).toHaveLength(1);
    expect(world.sim.truth.openNow(app.appId)).toBe(0);
  });

  it('reconnects a killed Socket Mode socket at once', async () => {
    const app = await openApp(2);
    world.sim.faults.kill({ appId: app.appId });
    await waitFor(() => world.sim.truth.openNow(app.appId) === 2 && world.sim.truth.calls('apps.connections.open', app.appId).length === 4, 5_000);
    for (const id of app.linkIds) expect((await world.waitForState(id, 'open')).lastError).toBe('close_1006');
    expect(world.sim.truth.maxOpen(app.appId)).toBeLessThanOrEqual(10);
  });
});
