import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { eventually, isType, openSocketMode, type Frame, type RawClient } from './support/helpers';

let sim: SlackSimulator;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn().catch(() => undefined);
  await sim?.close();
});

async function connect(appToken: string): Promise<RawClient> {
  const c = await openSocketMode(sim, appToken);
  cleanups.push(async () => c.ws.terminate());
  await c.frame(isType('hello'));
  return c;
}

const framesOf = (c: RawClient, type: string): Frame[] => c.frames.filter((f) => f.type === type);

describe('@slack/socket-mode SocketModeClient and commands', () => {
  it('receives a slash command, acks it with a payload, and truth records that payload for the envelope', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const client = new SocketModeClient({ appToken: app.appToken, clientOptions: { slackApiUrl: sim.apiUrl }, logLevel: LogLevel.ERROR });
    cleanups.push(() => client.disconnect());
    const seen: Record<string, unknown>[] = [];
    client.on('slash_commands', async ({ ack, body }: { ack: (p?: unknown) => Promise<void>; body: Record<string, unknown> }) => {
      seen.push(body);
      await ack({ response_type: 'ephemeral', text: `pong ${String(body.text)}` });
    });
    await client.start();

    const r = sim.emitCommand(app.appId, { command: '/ping', text: 'now' });
    await eventually(() => sim.truth.envelopes.get(r.id)?.ackedAt, 3000, 'the ack');
    expect(seen).toEqual([expect.objectContaining({ command: '/ping', text: 'now', team_id: ws.teamId, trigger_id: r.triggerId })]);
    const truth = (await (await fetch(`${sim.url}/_sim/truth?key=${app.appId}`)).json()) as { deliveries: unknown[]; envelopes: unknown };
    expect(truth.deliveries).toEqual([expect.objectContaining({
      id: r.id, type: 'slash_commands', teamId: ws.teamId, via: 'socket', attempts: 1, acks: 1, outcome: 'acked',
      ackPayload: { response_type: 'ephemeral', text: 'pong now' }, envelopeIds: [r.id], socketIds: [sim.sockets({ appId: app.appId })[0]!.socketId],
    })]);
    // The long-standing summary is unchanged.
    expect(truth.envelopes).toMatchObject({ delivered: 1, acked: 1, redelivered: 0, dropped: 0, pending: 0 });
  });
});

describe('redelivery', () => {
  it('by default (as Slack documents) commands and interactions that are not acked are dropped, not redelivered', async () => {
    sim = await startSlackSimulator({ rateLimits: false, socketMode: { ackTimeoutMs: 50, retryDelaysMs: [0, 0] } });
    const app = sim.addApp();
    sim.addWorkspace({ appId: app.appId });
    const c = await connect(app.appToken);
    const cmd = sim.emitCommand(app.appId, { command: '/ping' });
    const click = sim.emitInteraction(app.appId, { type: 'block_actions', actions: [] });
    const [event] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'hi' });
    await eventually(() => sim.truth.deliveries(app.appId).every((d) => d.outcome === 'dropped'), 3000, 'all dropped');
    const attempts = Object.fromEntries(sim.truth.deliveries(app.appId).map((d) => [d.type, [d.attempts, d.envelopeIds]]));
    expect(attempts).toEqual({
      slash_commands: [1, [cmd.id]], interactive: [1, [click.id]], events_api: [3, [event!.envelopeId]],
    });
    expect(framesOf(c, 'slash_commands')).toHaveLength(1);
    expect(framesOf(c, 'events_api').map((f) => [f.envelope_id, f.retry_attempt])).toEqual([
      [event!.envelopeId, 0], [event!.envelopeId, 1], [event!.envelopeId, 2],
    ]);
  });

  it('in redelivery mode every kind comes back under a new envelope id with the same payload until acked', async () => {
    sim = await startSlackSimulator({
      rateLimits: false, socketMode: { ackTimeoutMs: 100, retryDelaysMs: [0, 60_000], redeliverEveryKind: true },
    });
    const app = sim.addApp();
    sim.addWorkspace({ appId: app.appId });
    const c = await connect(app.appToken);
    const cmd = sim.emitCommand(app.appId, { command: '/ping' });
    const click = sim.emitInteraction(app.appId, { type: 'view_submission', view: { callback_id: 'survey' } });
    const [event] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'hi' });

    for (const type of ['slash_commands', 'interactive', 'events_api']) {
      const [first, second] = await c.until(() => (framesOf(c, type).length >= 2 ? framesOf(c, type) : undefined), 3000, `${type} twice`);
      expect(second!.envelope_id).not.toBe(first!.envelope_id);
      expect(second!.payload).toEqual(first!.payload);
      c.send({ envelope_id: second!.envelope_id, payload: type === 'events_api' ? undefined : { type } });
    }
    const events = framesOf(c, 'events_api');
    expect(events.map((f) => [f.retry_attempt, f.retry_reason])).toEqual([[0, ''], [1, 'timeout']]);
    expect(framesOf(c, 'slash_commands')[1]).not.toHaveProperty('retry_attempt');
    expect((framesOf(c, 'slash_commands')[1]!.payload as { trigger_id: string }).trigger_id).toBe(cmd.triggerId);

    await eventually(() => sim.truth.deliveries(app.appId).every((d) => d.outcome === 'acked'), 3000, 'all acked');
    // A late ack of the first delivery is counted, never taken for a new answer.
    c.send({ envelope_id: String(framesOf(c, 'slash_commands')[0]!.envelope_id), payload: { text: 'late' } });
    await eventually(() => sim.truth.envelopes.get(cmd.id)!.acks === 2, 3000, 'the late ack');
    const byType = Object.fromEntries(sim.truth.deliveries(app.appId).map((d) => [d.type, d]));
    expect(byType.slash_commands).toMatchObject({ id: cmd.id, attempts: 2, acks: 2, ackPayload: { type: 'slash_commands' } });
    expect(byType.interactive).toMatchObject({ id: click.id, attempts: 2, acks: 1 });
    expect(byType.events_api).toMatchObject({ id: event!.envelopeId, attempts: 2, acks: 1 });
    for (const d of Object.values(byType)) expect(new Set(d.envelopeIds).size).toBe(2);
    expect(sim.truth.envelopeStats(app.appId)).toMatchObject({ delivered: 6, redelivered: 3, acked: 3 });
  });
});
