import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { eventually, isType, openSocketMode, type RawClient } from './support/helpers';

// The rate emitter (`sim.emitEventStream`, `POST /_sim/events/stream`) the Bolt bench loads
// a receiver with: the count, the pacing on the simulator's clock, and the truth it leaves.

let sim: SlackSimulator;
let client: RawClient | undefined;
afterEach(async () => {
  client?.ws.terminate();
  client = undefined;
  await sim?.close();
});

const adminPost = (path: string, body: unknown): Promise<Response> =>
  fetch(`${sim.url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('an event stream', () => {
  it('produces perSecond x duration events, paced on the simulator clock, each a distinct event', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rateLimits: false });
    const app = sim.addApp();
    sim.addWorkspace({ appId: app.appId });
    let done = false;
    const streamed = sim.emitEventStream(app.appId, { type: 'app_mention', text: 'load' }, { perSecond: 100, durationMs: 1_000 }).then((r) => {
      done = true;
      return r;
    });
    // The first is out at once; half way through, half of them (plus that first).
    expect(sim.truth.envelopesOf(app.appId)).toHaveLength(1);
    clock.advance(500);
    sim.tick();
    expect(sim.truth.envelopesOf(app.appId)).toHaveLength(51);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(500);
    sim.tick();
    const result = await streamed;

    const envelopes = sim.truth.envelopesOf(app.appId);
    expect(result.emitted).toBe(100);
    expect(envelopes).toHaveLength(100);
    expect(result.envelopeIds).toEqual(envelopes.map((e) => e.envelopeId));
    expect(new Set(envelopes.map((e) => e.eventId)).size).toBe(100);
    expect(envelopes.map((e) => e.createdAt).filter((at) => at === result.startedAt)).toHaveLength(1);
    expect(result.endedAt - result.startedAt).toBe(1_000);
  });

  it('catches up after a late timer instead of lowering the count', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rateLimits: false });
    const app = sim.addApp();
    sim.addWorkspace({ appId: app.appId });
    const streamed = sim.emitEventStream(app.appId, { type: 'app_mention' }, { perSecond: 400, durationMs: 250 });
    clock.advance(5_000);
    sim.tick();
    expect((await streamed).emitted).toBe(100);
    expect(sim.truth.envelopesOf(app.appId)).toHaveLength(100);
  });

  it('refuses a stream without a rate or a duration, over HTTP with a clear error, and produces nothing', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    await expect(sim.emitEventStream(app.appId, { type: 'app_mention' }, { perSecond: 0, durationMs: 1_000 })).rejects.toThrow(/perSecond > 0 and durationMs > 0/);
    const res = await adminPost('events/stream', { target: app.appId, event: { type: 'app_mention' }, perSecond: 100 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/durationMs > 0/);
    expect(sim.truth.envelopesOf(app.appId)).toEqual([]);
  });

  it('over HTTP answers with every envelope id once the last is out; the truth has each one produced and acked time', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    client = await openSocketMode(sim, app.appToken);
    await client.frame(isType('hello'));
    const socket = client;
    socket.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { envelope_id?: string };
      if (frame.envelope_id) socket.send({ envelope_id: frame.envelope_id });
    });

    const res = await adminPost('events/stream', { target: { appId: app.appId, teamId: ws.teamId }, event: { type: 'app_mention', text: 'load' }, perSecond: 200, durationMs: 100 });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { emitted: number; envelopeIds: string[] } };
    expect(result.emitted).toBe(20);
    await eventually(() => sim.truth.envelopeStats(app.appId).acked === 20 || undefined, 3_000, 'every ack');
    const truth = (await (await fetch(`${sim.url}/_sim/truth?key=${app.appId}`)).json()) as { deliveries: { id: string; teamId: string; acks: number; createdAt: number; ackedAt: number }[] };
    expect(truth.deliveries.map((d) => d.id)).toEqual(result.envelopeIds);
    for (const d of truth.deliveries) {
      expect(d).toMatchObject({ teamId: ws.teamId, acks: 1 });
      expect(d.ackedAt).toBeGreaterThanOrEqual(d.createdAt);
    }
  });
});
