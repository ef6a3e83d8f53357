import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkEvent } from '../../shared/ports';
import { waitFor, World } from './harness/world';

/**
 * A real worker process killed (SIGKILL) between its dedupe claim and its ack: the claim was
 * in progress, never completed, so it expires within Slack's ack window and the redelivery, on
 * the peer that took the link over, reaches the bot instead of being acked as a duplicate.
 */
describe('worker process killed between claim and ack', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({
      visibilityTimeoutMs: 2_000,
      // Enough tries to span the takeover (lease 3 s + up to 5 s): Slack's own schedule is 0, 1, 5 min.
      simulator: { socketMode: { ackTimeoutMs: 1_000, retryDelaysMs: [0, 1_000, 2_000, 4_000, 8_000] } },
    });
  });
  afterAll(async () => world?.stop());

  it('the event reaches the bot once, after the redelivery, and is acked', { timeout: 60_000 }, async () => {
    const a = await world.forkWorker();
    const app = await world.addSocketModeApp(1);
    const ws = world.sim.addWorkspace({ appId: app.appId });
    await world.waitForState(app.linkIds[0]!, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000);
    expect((await world.link(app.linkIds[0]!)).owner).toBe(a.workerId);
    const b = await world.forkWorker();

    // The bot blocks on the first delivery until the worker holding it is dead: the claim is
    // taken, the ack not sent, at a moment the test chooses rather than a race it hopes to win.
    let reached!: () => void;
    const firstReached = new Promise<void>((resolve) => (reached = resolve));
    const accepted: SinkEvent[] = [];
    let held = 0;
    world.sinkAnswer = async (event) => {
      if (held === 0) {
        held += 1;
        reached();
        await new Promise(() => undefined); // never answers: its worker dies holding it
      }
      accepted.push(event);
    };
    try {
      const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: ws.teamId }, { type: 'app_mention', text: 'hi' }, { via: ['socket_mode'] });
      await firstReached;
      a.process.kill('SIGKILL');
      await a.exited;

      const envelope = emitted!.envelopeId!;
      await waitFor(() => world.sim.truth.envelope(envelope)?.ackedAt !== undefined, 30_000, () => `never acked:\n${b.output.slice(-20).join('\n')}`);
      expect((await world.link(app.linkIds[0]!)).owner).toBe(b.workerId);
      expect(accepted.map((e) => (e.payload as { event_id: string }).event_id)).toEqual([emitted!.eventId]);
      const record = world.sim.truth.envelope(envelope)!;
      expect(record.deliveries.filter((d) => d.socketId !== null).length).toBeGreaterThanOrEqual(2);
      expect(record.acks).toBe(1);
    } finally {
      world.sinkAnswer = undefined;
    }
  });
});
