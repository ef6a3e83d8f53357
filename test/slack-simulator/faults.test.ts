import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi, eventually, isType, openRtm, openSocketMode, type RawClient, UpgradeRefused } from './support/helpers';

let sim: SlackSimulator;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim?.close();
});
const track = (c: RawClient): RawClient => (clients.push(c), c);

describe('faults as a raw ws client sees them', () => {
  it('kill: the client sees 1006, no close frame', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    expect(sim.faults.kill({ teamId: ws.teamId })).toBe(1);
    expect((await c.closeEvent()).code).toBe(1006);
    await eventually(() => sim.truth.openNow(ws.teamId) === 0, 1000, 'counted closed');
    expect(sim.truth.closes[0]).toMatchObject({ by: 'fault', reason: 'kill' });
  });

  it('close with a given code: the client sees that code', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    const c = track(await openSocketMode(sim, app.appToken));
    await c.frame(isType('hello'));
    sim.faults.close({ appId: app.appId }, 4002, 'test close');
    expect(await c.closeEvent()).toEqual({ code: 4002, reason: 'test close' });
  });

  it('black-hole: no frames, no pongs, no close; still counted open; envelopes sent there are lost', async () => {
    sim = await startSlackSimulator({ socketMode: { serverPingIntervalMs: 20, ackTimeoutMs: 50, retryDelaysMs: [0] } });
    const app = sim.addApp();
    const c = track(await openSocketMode(sim, app.appToken));
    await c.frame(isType('hello'));
    await c.until(() => (c.pings.length > 0 ? true : undefined), 1000, 'a server ping');
    expect(sim.faults.blackHole({ appId: app.appId }, 10_000)).toBe(1);
    const [frames, pings] = [c.frames.length, c.pings.length];
    let pongs = 0;
    c.ws.on('pong', () => (pongs += 1));
    c.ws.ping('are you there');
    c.send({ envelope_id: 'whatever' });
    const [r] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'into the void' });
    // A healthy socket of another app on the same server sees the ping loop go round five times
    // (and the envelope's ack timeout and redelivery pass): whatever the black hole let through
    // in those rounds would have been written alongside, and has arrived.
    const witness = track(await openSocketMode(sim, sim.addApp().appToken));
    await witness.frame(isType('hello'));
    const seen = witness.pings.length;
    await witness.until(() => (witness.pings.length >= seen + 5 ? true : undefined), 3000, 'five ping rounds');
    await witness.roundTrip();
    expect(c.frames.length).toBe(frames);
    expect(c.pings.length).toBe(pings);
    expect(pongs).toBe(0);
    expect(c.closed).toBeUndefined();
    expect(sim.truth.openNow(app.appId)).toBe(1);
    const rec = sim.truth.envelopes.get(r!.envelopeId!)!;
    expect(rec.deliveries[0]).toMatchObject({ lost: true });
    expect(rec.ackedAt).toBeUndefined();
  });

  it('refuse upgrades: HTTP 408 on the WebSocket upgrade, then normal again', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp();
    sim.faults.refuseUpgrades({ protocol: 'socket_mode', count: 1 });
    const refused = await openSocketMode(sim, app.appToken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(408);
    const ok = track(await openSocketMode(sim, app.appToken));
    await ok.frame(isType('hello'));
    expect(sim.truth.connects(app.appId).map((c) => c.outcome)).toEqual(['refused', 'hello']);
  });

  it('withheld hello: the socket opens but stays silent', async () => {
    sim = await startSlackSimulator({ socketMode: { serverPingIntervalMs: 0 } });
    const app = sim.addApp();
    sim.faults.withholdHello({ key: app.appId });
    const c = track(await openSocketMode(sim, app.appToken));
    await c.roundTrip(); // a hello written on accept would have arrived before the pong
    expect(c.frames).toEqual([]);
    expect(sim.truth.openNow(app.appId)).toBe(1);
    expect(sim.truth.connects(app.appId)).toMatchObject([{ outcome: 'hello_withheld' }]);
  });

  it('delayed hello arrives after the delay', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock });
    const ws = sim.addWorkspace();
    sim.faults.delayHello(5_000, { protocol: 'rtm' });
    const c = track(await openRtm(sim, ws.botToken));
    clock.advance(4_999);
    sim.tick();
    await c.roundTrip(); // a hello sent by that tick would have arrived before the pong
    expect(c.frames).toEqual([]);
    clock.advance(1);
    sim.tick();
    await c.frame(isType('hello'), 2000);
    expect(sim.truth.connects(ws.teamId)).toMatchObject([{ outcome: 'hello_delayed' }]);
  });

  it('a token disabled mid-session closes its live sockets; later calls fail with the right error', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const other = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    const bystander = track(await openRtm(sim, other.botToken));
    await c.frame(isType('hello'));
    await bystander.frame(isType('hello'));
    sim.setTokenStatus(ws.botToken, 'inactive');
    expect((await c.closeEvent()).code).toBe(1000);
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken })).body).toEqual({ ok: false, error: 'account_inactive' });
    expect(bystander.closed).toBeUndefined();
    sim.setTokenStatus(ws.botToken, 'revoked');
    expect((await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken })).body).toEqual({ ok: false, error: 'token_revoked' });
  });

  it('a revoked app token ends Socket Mode sockets; apps.connections.open then fails', async () => {
    sim = await startSlackSimulator({ tokens: { socketOnDisable: { action: 'drop' } } });
    const app = sim.addApp();
    const c = track(await openSocketMode(sim, app.appToken));
    await c.frame(isType('hello'));
    sim.setTokenStatus(app.appToken, 'unknown');
    expect((await c.closeEvent()).code).toBe(1006);
    expect((await callApi(sim, 'apps.connections.open', {}, { bearer: app.appToken })).body).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('rate-limit burst: the next calls get 429 with the given Retry-After', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    sim.faults.rateLimit({ method: 'rtm.connect', key: ws.teamId, count: 2, retryAfterSeconds: 7 });
    const replies = [];
    for (let i = 0; i < 3; i += 1) replies.push(await callApi(sim, 'rtm.connect', {}, { bearer: ws.botToken }));
    expect(replies.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(replies[0]!.headers.get('retry-after')).toBe('7');
  });

  it('restart: every socket drops (1006), connections are refused while down, then it serves again', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    const restarting = sim.faults.restart(300);
    expect((await c.closeEvent()).code).toBe(1006);
    const down = await fetch(`${sim.apiUrl}auth.test`).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(Error);
    await restarting;
    const again = track(await openRtm(sim, ws.botToken));
    await again.frame(isType('hello'));
  });

  it('the admin endpoint mirrors the programmatic faults', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const c = track(await openRtm(sim, ws.botToken));
    await c.frame(isType('hello'));
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> =>
      (await (await fetch(`${sim.url}/_sim/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json()) as Record<string, unknown>;
    expect(await post('faults/kill', { teamId: ws.teamId })).toEqual({ ok: true, result: { sockets: 1 } });
    expect((await c.closeEvent()).code).toBe(1006);
    const created = (await post('workspaces', { teamName: 'Via Admin' })).result as { botToken: string; teamId: string };
    await post('token-status', { token: created.botToken, status: 'inactive' });
    expect((await callApi(sim, 'auth.test', {}, { bearer: created.botToken })).body.error).toBe('account_inactive');
    await post('faults/refuse-upgrades', { protocol: 'rtm', status: 408 });
    expect(await openRtm(sim, ws.botToken).catch((e: unknown) => (e as UpgradeRefused).status)).toBe(408);
    const truth = (await (await fetch(`${sim.url}/_sim/truth?key=${ws.teamId}`)).json()) as Record<string, unknown>;
    expect(truth).toMatchObject({ openNow: 0, maxOpen: 1 });
    expect((truth.connects as { outcome: string }[]).map((x) => x.outcome)).toEqual(['hello', 'refused']);
  });
});
