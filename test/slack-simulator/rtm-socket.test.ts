import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi, eventually, isType, openRtm, RawClient } from './support/helpers';

let sim: SlackSimulator;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim?.close();
});
const track = (c: RawClient): RawClient => (clients.push(c), c);

describe('RTM socket', () => {
  it('says hello first, answers pings with pongs echoing scalar fields, and replies to messages', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    expect(await c.frame(() => true)).toEqual({ type: 'hello' });
    c.send({ id: 7, type: 'ping', time: 1403299273342, note: 'x', nested: { dropped: true } });
    expect(await c.frame(isType('pong'))).toEqual({ type: 'pong', reply_to: 7, time: 1403299273342, note: 'x' });
    c.send({ id: 8, type: 'message', channel: 'C1', text: 'hi' });
    expect(await c.frame((f) => f.reply_to === 8)).toMatchObject({ ok: true, reply_to: 8, text: 'hi', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    c.send({ id: 9, type: 'message', channel: 'C1' });
    expect(await c.frame((f) => f.reply_to === 9)).toEqual({ ok: false, reply_to: 9, error: { code: 2, msg: 'message text is missing' } });
    expect(sim.truth.openNow(ws.teamId)).toBe(1);
    expect(sim.truth.connects(ws.teamId)).toMatchObject([{ protocol: 'rtm', outcome: 'hello' }]);
  });

  it('sends an error frame and closes when the URL is used after 30 s', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const ws = sim.addWorkspace();
    const r = await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken });
    clock.advance(30_001);
    const c = track(await RawClient.open(String(r.body.url)));
    expect(await c.frame(() => true)).toEqual({ type: 'error', error: { code: 1, msg: 'Socket URL has expired' } });
    await c.closeEvent();
    expect(c.frames).toHaveLength(1);
    expect(sim.truth.openNow(ws.teamId)).toBe(0);
    expect(sim.truth.connects(ws.teamId)).toMatchObject([{ outcome: 'expired_url' }]);
  });

  it('treats the URL as single-use', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const r = await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken });
    const first = track(await RawClient.open(String(r.body.url)));
    await first.frame(isType('hello'));
    const second = track(await RawClient.open(String(r.body.url)));
    expect(await second.frame(() => true)).toMatchObject({ type: 'error' });
    expect(sim.truth.openNow(ws.teamId)).toBe(1);
  });

  it('replays events produced between rtm.connect and the connect, after hello', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const r = await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken });
    sim.emitEvent(ws.teamId, { type: 'message', text: 'early', channel: 'C1' });
    const c = track(await RawClient.open(String(r.body.url)));
    await c.frame((f) => f.text === 'early');
    expect(c.frames.map((f) => f.type)).toEqual(['hello', 'message']);
  });

  it('queues events produced after the upgrade but before a delayed hello, and replays them after hello', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const ws = sim.addWorkspace();
    sim.faults.delayHello(2_000, { protocol: 'rtm' });
    const c = track(await openRtm(sim, ws.botToken));
    await eventually(() => sim.truth.connects(ws.teamId).length === 1, 2000, 'upgrade recorded');
    sim.emitEvent(ws.teamId, { type: 'message', text: 'during the upgrade', channel: 'C1' });
    clock.advance(2_000);
    sim.tick();
    await c.frame((f) => f.text === 'during the upgrade');
    expect(c.frames.map((f) => f.type)).toEqual(['hello', 'message']);
    // Replayed once: later events are live, not queued again on the spent URL.
    sim.emitEvent(ws.teamId, { type: 'message', text: 'live', channel: 'C1' });
    await c.frame((f) => f.text === 'live');
    expect(c.frames.filter((f) => f.text === 'during the upgrade')).toHaveLength(1);
  });

  it("queues on an RTM URL only the events of the app whose token asked for it", async () => {
    sim = await startSlackSimulator();
    const a = sim.addWorkspace();
    const other = sim.addApp({ classic: true, socketMode: false });
    const b = sim.addWorkspace({ appId: other.appId, teamId: a.teamId });
    const urlA = String((await callApi(sim, 'rtm.connect', {}, { bearer: a.botToken })).body.url);
    const urlB = String((await callApi(sim, 'rtm.connect', {}, { bearer: b.botToken })).body.url);
    sim.emitEvent({ appId: other.appId, teamId: a.teamId }, { type: 'message', text: 'for B only', channel: 'C1' }, { via: ['rtm'] });
    const ca = track(await RawClient.open(urlA));
    const cb = track(await RawClient.open(urlB));
    await cb.frame((f) => f.text === 'for B only');
    await ca.frame(isType('hello'));
    ca.send({ id: 1, type: 'ping' });
    await ca.frame(isType('pong'));
    expect(ca.frames.map((f) => f.type)).toEqual(['hello', 'pong']);
  });

  it('keeps routing events to a socket after its goodbye until the server closes it', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rtm: { goodbyeCloseDelayMs: 5_000 } });
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    expect(sim.faults.goodbye({ teamId: ws.teamId })).toBe(1);
    expect(sim.faults.goodbye({ teamId: ws.teamId })).toBe(1); // a second goodbye is not sent
    await c.frame(isType('goodbye'));
    const [sent] = sim.emitEvent(ws.teamId, { type: 'message', text: 'after goodbye', channel: 'C1' });
    expect(sent?.rtmSockets).toBe(1);
    await c.frame((f) => f.text === 'after goodbye');
    expect(c.frames.filter(isType('goodbye'))).toHaveLength(1);
    clock.advance(5_000);
    sim.tick();
    expect((await c.closeEvent()).code).toBe(1000);
    await eventually(() => sim.truth.openNow(ws.teamId) === 0, 2000, 'server-side close');
    const [late] = sim.emitEvent(ws.teamId, { type: 'message', text: 'after the close', channel: 'C1' });
    expect(late?.rtmSockets).toBe(0);
  });

  it('says goodbye at max age, then closes', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rtm: { maxAgeMs: 60_000, goodbyeCloseDelayMs: 1_000 } });
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    clock.advance(59_000);
    sim.tick();
    c.send({ id: 1, type: 'ping' });
    await c.frame(isType('pong'));
    expect(c.frames.some(isType('goodbye'))).toBe(false);
    clock.advance(1_000);
    sim.tick();
    await c.frame(isType('goodbye'));
    expect(c.closed).toBeUndefined();
    clock.advance(1_000);
    sim.tick();
    expect((await c.closeEvent()).code).toBe(1000);
    await eventually(() => sim.truth.closes.length === 1, 2000, 'server-side close');
    expect(sim.truth.closes).toMatchObject([{ key: ws.teamId, by: 'server', reason: 'goodbye:max_age', code: 1000 }]);
  });

  it('says goodbye when the workspace has been idle too long, not while it is active', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rtm: { idleGoodbyeMs: 120_000 } });
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    clock.advance(100_000);
    sim.emitEvent(ws.teamId, { type: 'message', text: 'activity' });
    clock.advance(100_000);
    sim.tick();
    await c.frame((f) => f.text === 'activity');
    expect(c.frames.some(isType('goodbye'))).toBe(false);
    clock.advance(20_000);
    sim.tick();
    await c.frame(isType('goodbye'));
  });

  it('answers writes above 1/s with error replies, then disconnects', async () => {
    sim = await startSlackSimulator({ rtm: { writeBurst: 2, writesPerSecond: 1, writeStrikesBeforeClose: 2 } });
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    for (let id = 1; id <= 4; id += 1) c.send({ id, type: 'ping' });
    expect(await c.frame((f) => f.reply_to === 3)).toMatchObject({ ok: false, error: { code: -1 } });
    expect((await c.closeEvent()).code).toBe(1008);
  });

  it('closes the socket on a frame over 16 KB', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    c.send({ id: 1, type: 'message', text: 'x'.repeat(17_000) });
    expect((await c.closeEvent()).code).toBe(1009);
  });
});
