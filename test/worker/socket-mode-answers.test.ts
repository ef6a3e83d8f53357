import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SinkEvent } from '../../shared/ports';
import { waitFor, World } from './harness/world';

/**
 * Acks per envelope: each envelope is acked when its own answer is in, with the bot's ack
 * payload where Slack takes one; Slack's retry fields reach the bot.
 */
describe('worker, Socket Mode answers in the ack', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({ simulator: { socketMode: { ackTimeoutMs: 2_000, retryDelaysMs: [0, 100, 200] } } });
    // A long batching window: envelopes that arrive while a delivery is in flight are surely
    // delivered in one batch (an idle worker delivers each at once).
    await world.startWorker({ sinkBatchDelayMs: 150 });
  });
  afterAll(async () => world?.stop());

  const openApp = async () => {
    const app = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    await world.waitForState(app.linkIds[0]!, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000);
    return { ...app, teamId: ws.teamId };
  };
  const idOf = (event: SinkEvent): string | undefined => event.envelopeId;

  it("acks a slash command with its payload while a slower neighbour in the same batch still works, then acks that one", async () => {
    const app = await openApp();
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    world.sinkAnswer = async (event) => {
      if (event.kind === 'events_api') await slowGate;
      if (event.kind === 'slash_commands') return { ackPayload: { text: 'pong' } };
      return undefined;
    };
    const deliver = vi.spyOn(world.sink, 'deliver');
    try {
      // A delivery in flight first (held by the gate), so the next two gather into one batch.
      const [blocker] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention', text: 'blocker' }, { via: ['socket_mode'] });
      await waitFor(() => deliver.mock.calls.some(([events]) => events.map(idOf).includes(blocker!.envelopeId!)), 5_000);
      const [slow] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention', text: 'slow' }, { via: ['socket_mode'] });
      const command = world.sim.emitCommand(app.appId, { command: '/ping', teamId: app.teamId });
      const slowEnvelope = slow!.envelopeId!;
      await waitFor(() => world.sim.truth.envelope(command.id)?.acks === 1, 5_000);
      // The command was answered while its neighbour's handler is still held: not acked yet.
      expect(world.sim.truth.envelope(command.id)?.ackPayload).toEqual({ text: 'pong' });
      expect(world.sim.truth.envelope(slowEnvelope)?.acks).toBe(0);
      // ...and they did travel together: one delivery carried both.
      expect(deliver.mock.calls.some(([events]) => events.map(idOf).includes(command.id) && events.map(idOf).includes(slowEnvelope))).toBe(true);
      releaseSlow();
      await waitFor(() => world.sim.truth.envelope(slowEnvelope)?.acks === 1 && world.sim.truth.envelope(blocker!.envelopeId!)?.acks === 1, 5_000);
      const truth = world.sim.truth.deliveries(app.appId);
      expect(truth.find((d) => d.id === command.id)).toMatchObject({ type: 'slash_commands', acks: 1, ackPayload: { text: 'pong' } });
      expect(truth.find((d) => d.id === slowEnvelope)).toMatchObject({ type: 'events_api', acks: 1 });
      expect(truth.find((d) => d.id === slowEnvelope)?.ackPayload).toBeUndefined();
    } finally {
      deliver.mockRestore();
      world.sinkAnswer = undefined;
    }
  });

  it("acks an Events API envelope bare even when the bot answers it: Slack takes no payload there", async () => {
    const app = await openApp();
    world.sinkAnswer = () => ({ ackPayload: { text: 'not for an event' } });
    try {
      const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention' }, { via: ['socket_mode'] });
      await waitFor(() => world.sim.truth.envelope(emitted!.envelopeId!)?.acks === 1, 5_000);
      expect(world.sim.truth.envelope(emitted!.envelopeId!)?.ackPayload).toBeUndefined();
    } finally {
      world.sinkAnswer = undefined;
    }
  });

  it('passes Slack\'s accepts_response_payload and retry fields to the bot: a refused event comes back as retry 1', async () => {
    const app = await openApp();
    let refused = 0;
    world.sinkAnswer = (event) => {
      if (event.kind === 'events_api' && refused === 0) {
        refused += 1;
        throw new Error('not now');
      }
      return undefined;
    };
    try {
      const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention' }, { via: ['socket_mode'] });
      await waitFor(() => world.sim.truth.envelope(emitted!.envelopeId!)?.acks === 1, 5_000);
      const seen = world.sinkEvents.filter((e) => (e.payload as { event_id?: string }).event_id === emitted!.eventId);
      expect(seen.map((e) => [e.retryAttempt, e.retryReason])).toEqual([[0, ''], [1, 'timeout']]);
      expect(seen.every((e) => e.acceptsResponsePayload === false && e.envelopeId === emitted!.envelopeId)).toBe(true);
      const command = world.sim.emitCommand(app.appId, { command: '/ping', teamId: app.teamId });
      await waitFor(() => world.sim.truth.envelope(command.id)?.acks === 1, 5_000);
      expect(world.sinkEvents.find((e) => e.envelopeId === command.id)).toMatchObject({ kind: 'slash_commands', acceptsResponsePayload: true });
    } finally {
      world.sinkAnswer = undefined;
    }
  });
});
