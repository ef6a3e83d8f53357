import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkEvent } from '../../shared/ports';
import { waitFor, World } from './harness/world';

const keyOf = (event: SinkEvent): string => {
  const payload = event.payload as { event_id?: string; trigger_id?: string };
  return payload.event_id ?? payload.trigger_id ?? '?';
};

/**
 * Delivered once across a socket's death, for every envelope kind, with the simulator
 * redelivering every kind under a NEW envelope id (`socketMode.redeliverEveryKind`): the dedupe
 * key is what the payload keeps (event_id, trigger_id), and a redelivery of an answered payload
 * is acked with the bot's first answer.
 */
describe('worker, Socket Mode redelivery of every kind', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({
      simulator: { socketMode: { ackTimeoutMs: 600, retryDelaysMs: [0, 300, 600, 1_200, 2_400], redeliverEveryKind: true } },
    });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  it('a socket killed while the bot handles a command, an interaction and an event: each reaches the bot once, each redelivery is acked with the first answer', async () => {
    const app = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    await world.waitForState(app.linkIds[0]!, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000);

    // The bot holds all three until the test lets go: the socket dies with their acks unsent.
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const answers: Record<string, unknown> = {
      slash_commands: { text: 'pong' },
      interactive: { response_action: 'clear' },
    };
    const handled: SinkEvent[] = [];
    world.sinkAnswer = async (event) => {
      handled.push(event);
      await gate;
      const ackPayload = answers[event.kind];
      return ackPayload === undefined ? undefined : { ackPayload };
    };
    try {
      const command = world.sim.emitCommand(app.appId, { command: '/ping', teamId: ws.teamId });
      const click = world.sim.emitInteraction(app.appId, { type: 'block_actions', teamId: ws.teamId, actions: [{ action_id: 'ok' }] });
      const [event] = world.sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'app_mention', text: 'hi' }, { via: ['socket_mode'] });
      const ids = [command.id, click.id, event!.envelopeId!];
      await waitFor(() => handled.length === 3, 5_000, 'the bot holds all three');

      world.sim.faults.kill({ appId: app.appId });
      // Every kind comes back, on the replacement socket, under a new envelope id.
      await waitFor(() => ids.every((id) => world.sim.truth.envelope(id)!.deliveries.some((d) => d.attempt > 0 && d.socketId !== null)), 10_000, 'every kind redelivered');
      letGo();
      await waitFor(() => ids.every((id) => world.sim.truth.envelope(id)!.ackedAt !== undefined), 10_000, 'every kind acked');

      const truth = new Map(world.sim.truth.deliveries(app.appId).map((d) => [d.id, d]));
      expect(truth.get(command.id)).toMatchObject({ outcome: 'acked', ackPayload: { text: 'pong' } });
      expect(truth.get(click.id)).toMatchObject({ outcome: 'acked', ackPayload: { response_action: 'clear' } });
      expect(truth.get(event!.envelopeId!)).toMatchObject({ outcome: 'acked' });
      expect(truth.get(event!.envelopeId!)!.ackPayload).toBeUndefined();
      for (const id of ids) expect(truth.get(id)!.envelopeIds!.length).toBeGreaterThanOrEqual(2);
      // What the bot saw: each payload once.
      const seen = handled.map(keyOf);
      expect(seen.sort()).toEqual([command.triggerId!, click.triggerId!, event!.eventId].sort());
      expect(world.sinkEvents.filter((e) => e.appId === app.appId)).toHaveLength(3);
    } finally {
      letGo();
      world.sinkAnswer = undefined;
    }
  });

  it('a redelivery of a command the bot already answered (its ack lost with the socket) is acked with the same payload, the bot untouched', async () => {
    const app = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    await world.waitForState(app.linkIds[0]!, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000);
    const handled: SinkEvent[] = [];
    let answered!: () => void;
    const answeredOnce = new Promise<void>((resolve) => (answered = resolve));
    world.sinkAnswer = (event) => {
      handled.push(event);
      // The socket dies the moment the bot answers: the answer is recorded, the ack never leaves.
      world.sim.faults.kill({ appId: app.appId });
      answered();
      return { ackPayload: { text: `answer ${handled.length}` } };
    };
    try {
      const command = world.sim.emitCommand(app.appId, { command: '/deploy', teamId: ws.teamId });
      await answeredOnce;
      await waitFor(() => world.sim.truth.envelope(command.id)!.ackedAt !== undefined, 10_000, 'the command acked');
      const record = world.sim.truth.deliveries(app.appId).find((d) => d.id === command.id)!;
      expect(record.attempts).toBeGreaterThanOrEqual(2);
      expect(record.ackPayload).toEqual({ text: 'answer 1' });
      expect(handled).toHaveLength(1);
    } finally {
      world.sinkAnswer = undefined;
    }
  });
});
