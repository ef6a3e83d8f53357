import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkEvent } from '../../shared/ports';
import { waitFor } from './harness/world';
import { stopOutageWorld } from './support/outage-case';
import { startOutageWorld, type OutageWorld } from './support/outage-world';

const keyOf = (e: SinkEvent) => {
  const p = e.payload as { event_id?: string; trigger_id?: string };
  return p.event_id ?? p.trigger_id;
};

/**
 * Once, while the store cannot be asked: a real worker process whose every store write is
 * throttled (its dedupe claims fail, so it delivers without one), and a bot that answers only
 * after Slack's 3 s ack window, so Slack redelivers each payload (a new envelope id every time)
 * while the first copy is still with the bot. The worker's memory of what it is delivering and
 * delivered answers the redeliveries: the bot sees each payload once, every envelope is acked,
 * the command with the bot's one answer. Without that memory each redelivery reached the bot again.
 */
describe('a worker whose dedupe claims fail while the bot answers past the ack window', () => {
  let ow: OutageWorld | undefined;
  beforeAll(async () => {
    ow = await startOutageWorld({ workers: 1, rtmLinks: 0, smSlots: 1, socketMode: { redeliverEveryKind: true, retryDelaysMs: [0, 1_000, 2_000, 4_000, 8_000] } });
  }, 60_000);
  afterAll(async () => stopOutageWorld(ow));

  it('each payload reaches the bot once and every envelope is acked with the one answer', { timeout: 60_000 }, async () => {
    const { world, proxy, app } = ow!;
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const handled: SinkEvent[] = [];
    world.sinkAnswer = async (event) => {
      handled.push(event);
      await gate;
      return event.kind === 'slash_commands' ? { ackPayload: { text: 'pong' } } : undefined;
    };
    try {
      await proxy.set({ kind: 'throttle-writes' });
      const command = world.sim.emitCommand(app.appId, { command: '/ping', teamId: app.teamId });
      const [event] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'app_mention', text: 'hi' }, { via: ['socket_mode'] });
      const ids = [command.id, event!.envelopeId!];
      await waitFor(() => handled.length >= 2, 10_000, 'the bot holds both');
      // Past the ack window: Slack redelivered each to the worker while the bot still holds the first copy.
      await waitFor(() => ids.every((id) => world.sim.truth.envelope(id)!.deliveries.some((d) => d.attempt > 0 && d.socketId !== null)), 15_000, 'both redelivered');
      expect(proxy.counts.throttled).toBeGreaterThan(0);
      letGo();
      await waitFor(() => ids.every((id) => world.sim.truth.envelope(id)!.ackedAt !== undefined), 20_000, 'both acked');
      await proxy.set({ kind: 'pass' });

      expect(handled.map(keyOf).sort()).toEqual([command.triggerId!, event!.eventId].sort());
      const truth = new Map(world.sim.truth.deliveries(app.appId).map((d) => [d.id, d]));
      expect(truth.get(command.id)).toMatchObject({ outcome: 'acked', ackPayload: { text: 'pong' } });
      expect(truth.get(event!.envelopeId!)).toMatchObject({ outcome: 'acked' });
      // The worker said why it went without the store, and never delivered a copy twice.
      expect(ow!.workers[0]!.output.some((l) => l.includes('event dedupe unavailable; delivering without it'))).toBe(true);
    } finally {
      letGo();
      world.sinkAnswer = undefined;
      await proxy.set({ kind: 'pass' });
    }
  });
});
