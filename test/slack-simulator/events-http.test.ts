import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi, eventually, isType, openSocketMode, type RawClient } from './support/helpers';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { type: string; event?: { type: string; tokens?: unknown }; event_id?: string; challenge?: string };
}

let sim: SlackSimulator;
let receiver: Server | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim?.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  receiver = undefined;
});

/** A stand-in for the app's Request URL; `answer` decides each reply. */
async function startReceiver(answer: (r: Received, n: number) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }):
  Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const r: Received = { headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] };
      got.push(r);
      const a = answer(r, got.length);
      setTimeout(() => {
        res.writeHead(a.status, a.headers ?? {});
        res.end(a.body ?? '');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack/events`, got };
}

/** Signature check written out independently of the simulator's signer. */
function signatureValid(secret: string, r: Received): boolean {
  const ts = String(r.headers['x-slack-request-timestamp']);
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${r.raw}`).digest('hex')}`;
  return r.headers['x-slack-signature'] === expected && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

describe('Events API over HTTP', () => {
  it('verifies the Request URL with url_verification', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp({ socketMode: false });
    const { url, got } = await startReceiver((r) => ({ status: 200, body: JSON.stringify({ challenge: r.body.challenge }) }));
    expect(await sim.verifyEventsUrl(app.appId, url)).toMatchObject({ ok: true, status: 200 });
    expect(got[0]!.body).toMatchObject({ type: 'url_verification', challenge: expect.any(String) });
    expect(signatureValid(app.signingSecret, got[0]!)).toBe(true);
    const unreachable = await sim.verifyEventsUrl(app.appId, 'http://127.0.0.1:1/slack/events');
    expect(unreachable.ok).toBe(false);
  });

  it('POSTs a signed event_callback that the signing secret verifies', async () => {
    sim = await startSlackSimulator();
    const app = sim.addApp({ socketMode: false });
    const ws = sim.addWorkspace({ appId: app.appId });
    const { url, got } = await startReceiver(() => ({ status: 200 }));
    sim.setEventsUrl(app.appId, url);
    const [r] = sim.emitEvent(app.appId, { type: 'app_mention', text: 'over http' });
    await eventually(() => got.length === 1, 2000, 'delivery');
    const req = got[0]!;
    expect(signatureValid(app.signingSecret, req)).toBe(true);
    expect(signatureValid('not-the-secret', req)).toBe(false);
    expect(req.body).toMatchObject({ type: 'event_callback', event_id: r!.eventId, team_id: ws.teamId, api_app_id: app.appId });
    expect(req.headers['x-slack-retry-num']).toBeUndefined();
    await eventually(() => sim.truth.httpDeliveries.length === 1, 1000, 'truth');
    expect(sim.truth.httpDeliveries[0]).toMatchObject({ status: 200, attempt: 0, eventId: r!.eventId });
  });

  it('retries failures with x-slack-retry-num and x-slack-retry-reason', async () => {
    sim = await startSlackSimulator({ httpEvents: { retryDelaysMs: [0, 20, 20], timeoutMs: 150 } });
    const app = sim.addApp({ socketMode: false });
    sim.addWorkspace({ appId: app.appId });
    const { url, got } = await startReceiver((_r, n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 200, delayMs: 400 } : { status: 200 }));
    sim.setEventsUrl(app.appId, url);
    sim.emitEvent(app.appId, { type: 'app_mention', text: 'retry me' });
    await eventually(() => got.length === 3, 3000, 'three attempts');
    expect(got.map((g) => [g.headers['x-slack-retry-num'], g.headers['x-slack-retry-reason']])).toEqual([
      [undefined, undefined], ['1', 'http_error'], ['2', 'http_timeout'],
    ]);
    expect(new Set(got.map((g) => g.body.event_id)).size).toBe(1);
    expect(got.every((g) => signatureValid(app.signingSecret, g))).toBe(true);
    // One payload in truth: three attempts, only the last answered in time.
    await eventually(() => sim.truth.deliveries(app.appId)[0]?.attempts === 3, 3000, 'three attempts recorded');
    expect(sim.truth.deliveries(app.appId)).toEqual([expect.objectContaining({
      via: 'http', type: 'events_api', eventId: got[0]!.body.event_id, attempts: 3, acks: 1, status: 200, outcome: 'acked',
    })]);
  });

  it('stops retrying when the receiver says x-slack-no-retry: 1', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, httpEvents: { retryDelaysMs: [0, 0, 0] } });
    const app = sim.addApp({ socketMode: false });
    sim.addWorkspace({ appId: app.appId });
    const { url, got } = await startReceiver(() => ({ status: 503, headers: { 'x-slack-no-retry': '1' } }));
    sim.setEventsUrl(app.appId, url);
    sim.emitEvent(app.appId, { type: 'app_mention' });
    await eventually(() => sim.truth.httpDeliveries.length === 1, 2000, 'one attempt');
    // Retries go through the simulator's scheduler, decided as the attempt is recorded: with its
    // clock standing still, a retry (due at once) would be the one timer this tick runs.
    expect(sim.tick()).toBe(0);
    expect(got).toHaveLength(1);
  });

  for (const order of ['tokens_revoked_first', 'app_uninstalled_first'] as const) {
    it(`apps.uninstall sends tokens_revoked and app_uninstalled (${order})`, async () => {
      sim = await startSlackSimulator({ uninstallEventOrder: order });
      const app = sim.addApp({ classic: true, socketMode: false });
      const ws = sim.addWorkspace({ appId: app.appId });
      const { url, got } = await startReceiver(() => ({ status: 200 }));
      sim.setEventsUrl(app.appId, url);
      const res = await callApi(sim, 'apps.uninstall', { client_id: app.clientId, client_secret: app.clientSecret }, { bearer: ws.botToken });
      expect(res.body.ok).toBe(true);
      await eventually(() => got.length === 2, 2000, 'two lifecycle events');
      // Deliveries run concurrently; event ids are minted in emission order.
      const serial = (g: Received): number => parseInt(g.body.event_id!.slice(2), 36);
      const types = [...got].sort((a, b) => serial(a) - serial(b))
        .map((g) => g.body.event!.type);
      expect(types).toEqual(order === 'tokens_revoked_first' ? ['tokens_revoked', 'app_uninstalled'] : ['app_uninstalled', 'tokens_revoked']);
      const revoked = got.find((g) => g.body.event!.type === 'tokens_revoked')!;
      expect(revoked.body.event!.tokens).toEqual({ oauth: [], bot: [ws.botUserId] });
      expect(got.every((g) => signatureValid(app.signingSecret, g))).toBe(true);
    });
  }

  it('a programmatic uninstall of a Socket Mode app arrives as two events_api envelopes', async () => {
    sim = await startSlackSimulator({ uninstallEventOrder: 'app_uninstalled_first' });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const c = await openSocketMode(sim, app.appToken);
    clients.push(c);
    await c.frame(isType('hello'));
    sim.uninstall(app.appId, ws.teamId);
    await eventually(() => c.frames.filter((f) => f.type === 'events_api').length === 2, 2000, 'envelopes');
    const events = c.frames.filter((f) => f.type === 'events_api').map((f) => (f.payload as { event: { type: string } }).event.type);
    expect(events).toEqual(['app_uninstalled', 'tokens_revoked']);
    expect(sim.tokenStatus(ws.botToken)).toBe('unknown');
    expect(c.closed).toBeUndefined();
  });
});
