import type { ModalView } from '@slack/types';
import { LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, verifySlackSignature, type SlackSimulator } from '../../shared/slack-simulator';
import { AppServer } from './support/app-server';
import { eventually } from './support/helpers';

let sim: SlackSimulator;
const servers: AppServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await sim?.close();
});

const MODAL: ModalView = { type: 'modal', callback_id: 'survey', title: { type: 'plain_text', text: 'Survey' }, blocks: [] };

async function openView(token: string, triggerId: string | undefined): Promise<string> {
  const web = new WebClient(token, { slackApiUrl: sim.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
  try {
    await web.views.open({ trigger_id: triggerId ?? '', view: MODAL });
    return 'ok';
  } catch (err) {
    return (err as WebAPIPlatformError).data.error;
  }
}

async function postTo(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function serve(answer: ConstructorParameters<typeof AppServer>[0]): Promise<AppServer> {
  const s = await AppServer.start(answer);
  servers.push(s);
  return s;
}

describe('trigger_id', () => {
  it('opens one modal within 3 s, once, for the app and workspace it was issued to', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rateLimits: false });
    const app = sim.addApp();
    const [ws, other] = [sim.addWorkspace({ appId: app.appId }), sim.addWorkspace({ appId: app.appId })];

    const first = sim.emitCommand(app.appId, { command: '/survey', teamId: ws.teamId });
    expect(first.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    clock.advance(2_999);
    expect(await openView(other.botToken, first.triggerId)).toBe('invalid_trigger_id');
    expect(await openView(ws.botToken, first.triggerId)).toBe('ok');
    expect(await openView(ws.botToken, first.triggerId)).toBe('exchanged_trigger_id');

    const late = sim.emitCommand(app.appId, { command: '/survey', teamId: ws.teamId });
    clock.advance(3_001);
    expect(await openView(ws.botToken, late.triggerId)).toBe('expired_trigger_id');

    const anotherApp = sim.addApp();
    const theirs = sim.addWorkspace({ appId: anotherApp.appId, teamId: ws.teamId });
    const third = sim.emitCommand(app.appId, { command: '/survey', teamId: ws.teamId });
    expect(await openView(theirs.botToken, third.triggerId)).toBe('invalid_trigger_id');
    expect(await openView(ws.botToken, '123.456.abc')).toBe('invalid_trigger_id');
    expect(await openView(ws.botToken, undefined)).toBe('invalid_arguments');
    expect(sim.truth.calls('views.open', ws.teamId).map((c) => [c.outcome, c.args?.view_type, c.args?.callback_id])).toEqual([
      ['ok', 'modal', 'survey'], ['exchanged_trigger_id', 'modal', 'survey'], ['expired_trigger_id', 'modal', 'survey'],
      ['invalid_trigger_id', 'modal', 'survey'], ['invalid_trigger_id', 'modal', 'survey'], ['invalid_arguments', 'modal', 'survey'],
    ]);
    expect(sim.truth.calls('views.open', other.teamId).map((c) => c.outcome)).toEqual(['invalid_trigger_id']);
  });

  it('interactions carry one where Slack gives one, and none for options requests', async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const click = sim.emitInteraction(app.appId, { type: 'block_actions', actions: [{ action_id: 'go' }], channel: { id: ws.generalChannelId } });
    expect(click.payload).toMatchObject({ type: 'block_actions', team: { id: ws.teamId }, api_app_id: app.appId, actions: [{ action_id: 'go' }] });
    expect(click.triggerId).toBeDefined();
    expect(click.responseUrl).toContain(`/actions/${ws.teamId}/`);
    const submit = sim.emitInteraction(app.appId, { type: 'view_submission', view: { callback_id: 'survey' } });
    expect(submit.triggerId).toBeDefined();
    expect(submit.responseUrl).toBeUndefined();
    const options = sim.emitInteraction(app.appId, { type: 'block_suggestion', value: 'ab' });
    expect(options.triggerId).toBeUndefined();
  });
});

describe('response_url', () => {
  it('takes five posts, then answers used_url; past 30 minutes expired_url; every post is recorded', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rateLimits: false });
    const app = sim.addApp();
    const ws = sim.addWorkspace({ appId: app.appId });
    const { responseUrl } = sim.emitCommand(app.appId, { command: '/ping', teamId: ws.teamId });
    expect(responseUrl?.startsWith(`${sim.url}/commands/${ws.teamId}/`)).toBe(true);
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await postTo(responseUrl!, { text: `update ${i}`, response_type: 'ephemeral' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await postTo(responseUrl!, { text: 'sixth' })).toEqual({ status: 404, body: { ok: false, error: 'used_url' } });

    const later = sim.emitCommand(app.appId, { command: '/ping', teamId: ws.teamId }).responseUrl!;
    expect((await postTo(later, {})).body.error).toBe('no_text');
    clock.advance(30 * 60_000 + 1);
    expect((await postTo(later, { text: 'too late' })).body.error).toBe('expired_url');
    expect((await postTo(`${sim.url}/commands/${ws.teamId}/1/forged`, { text: 'x' })).body.error).toBe('no_service');

    const posts = sim.truth.calls('response_url', ws.teamId);
    expect(posts.map((p) => p.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'used_url', 'no_text', 'expired_url']);
    expect(posts[0]).toMatchObject({ appId: app.appId, args: { kind: 'commands', use: '1', text: 'update 1', response_type: 'ephemeral' } });
  });
});

describe('commands and interactions over HTTP to a classic app', () => {
  it('POSTs a command as signed form fields and records the response body as the ack', async () => {
    const app = await serve(() => ({ status: 200, body: JSON.stringify({ response_type: 'in_channel', text: 'pong' }) }));
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp({ classic: true, socketMode: false, commandsUrl: app.url('/slack/commands') });
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    const { signingSecret } = slackApp;

    const r = sim.emitCommand(slackApp.appId, { command: '/ping', text: 'now', teamId: ws.teamId, userId: 'U0ALICE' });
    expect(r.via).toBe('http');
    const answered = await r.answered!;
    expect(answered).toMatchObject({ status: 200, kind: 'slash_commands', type: '/ping', responseBody: { response_type: 'in_channel', text: 'pong' } });

    const [req] = app.requests;
    expect(req!.path).toBe('/slack/commands');
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const ts = Number(req!.headers['x-slack-request-timestamp']);
    expect(verifySlackSignature(signingSecret, ts, req!.raw, String(req!.headers['x-slack-signature']))).toBe(true);
    expect(verifySlackSignature('another-secret', ts, req!.raw, String(req!.headers['x-slack-signature']))).toBe(false);
    const form = Object.fromEntries(new URLSearchParams(req!.raw));
    expect(form).toMatchObject({
      command: '/ping', text: 'now', team_id: ws.teamId, user_id: 'U0ALICE', api_app_id: slackApp.appId,
      channel_id: ws.generalChannelId, trigger_id: r.triggerId, response_url: r.responseUrl,
    });

    const truth = (await (await fetch(`${sim.url}/_sim/truth?key=${ws.teamId}`)).json()) as { deliveries: unknown[] };
    expect(truth.deliveries).toEqual([expect.objectContaining({
      id: r.id, type: 'slash_commands', teamId: ws.teamId, via: 'http', attempts: 1, acks: 1, status: 200, outcome: 'acked',
      ackPayload: { response_type: 'in_channel', text: 'pong' },
    })]);
  });

  it('POSTs an interaction as payload=<json> to the interactivity URL; an empty 200 is a plain ack', async () => {
    const app = await serve(() => ({ status: 200 }));
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp({ classic: true, socketMode: false });
    sim.setInteractivityUrl(slackApp.appId, app.url('/slack/interactive'));
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    const r = sim.emitInteraction(slackApp.appId, { type: 'block_actions', actions: [{ action_id: 'approve' }], channel: { id: ws.generalChannelId } });
    expect((await r.answered!).status).toBe(200);
    const form = new URLSearchParams(app.requests[0]!.raw);
    expect([...form.keys()]).toEqual(['payload']);
    const payload = JSON.parse(form.get('payload')!) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions', team: { id: ws.teamId }, api_app_id: slackApp.appId, trigger_id: r.triggerId, response_url: r.responseUrl,
    });
    expect(sim.truth.deliveries(slackApp.appId)).toEqual([expect.objectContaining({ via: 'http', type: 'interactive', acks: 1, ackPayload: undefined })]);
  });

  it('gives up after the timeout on an app that does not answer, and records no ack', async () => {
    const app = await serve(() => undefined);
    sim = await startSlackSimulator({ rateLimits: false, interactivity: { httpTimeoutMs: 150 } });
    const slackApp = sim.addApp({ classic: true, socketMode: false, commandsUrl: app.url('/slack/commands') });
    sim.addWorkspace({ appId: slackApp.appId });
    const r = sim.emitCommand(slackApp.appId, { command: '/slow' });
    expect(await r.answered!).toMatchObject({ status: undefined, error: 'http_timeout' });
    expect(sim.truth.deliveries(slackApp.appId)).toEqual([expect.objectContaining({ acks: 0, outcome: 'failed' })]);
    // Slack does not retry a command.
    expect(app.requests).toHaveLength(1);
  });

  it('a Socket Mode app gets commands over its socket even when it also has a Request URL', async () => {
    const app = await serve(() => ({ status: 200 }));
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp({ commandsUrl: app.url('/slack/commands') });
    sim.addWorkspace({ appId: slackApp.appId });
    const r = sim.emitCommand(slackApp.appId, { command: '/ping' });
    expect(r.via).toBe('socket');
    expect(sim.truth.envelopes.get(r.id)?.type).toBe('slash_commands');
    expect(app.requests).toHaveLength(0);
  });

  it('is driven over the admin HTTP API too', async () => {
    const app = await serve(() => ({ status: 200, body: '{"text":"pong"}' }));
    sim = await startSlackSimulator({ rateLimits: false });
    const slackApp = sim.addApp({ classic: true, socketMode: false });
    const ws = sim.addWorkspace({ appId: slackApp.appId });
    const admin = (path: string, body: unknown): Promise<Response> =>
      fetch(`${sim.url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await admin('app-urls', { appId: slackApp.appId, commandsUrl: app.url('/c') })).status).toBe(200);
    const emitted = (await (await admin('commands', { appId: slackApp.appId, command: '/ping' })).json()) as { result: { via: string; triggerId: string } };
    expect(emitted.result).toMatchObject({ via: 'http', triggerId: expect.any(String) });
    await eventually(() => sim.truth.deliveries(ws.teamId)[0]?.acks, 3000, 'the answer recorded');
    expect(sim.truth.deliveries(ws.teamId)[0]?.ackPayload).toEqual({ text: 'pong' });

    expect((await admin('app-urls', { appId: slackApp.appId, interactivityUrl: app.url('/i') })).status).toBe(200);
    expect((await admin('channels', { teamId: ws.teamId, channelId: 'C0ADMIN', name: 'ops' })).status).toBe(200);
    const click = (await (await admin('interactions', {
      appId: slackApp.appId, payload: { type: 'block_actions', actions: [{ action_id: 'ok' }], channel: { id: 'C0ADMIN' } },
    })).json()) as { result: { via: string; responseUrl: string } };
    expect(click.result).toMatchObject({ via: 'http', responseUrl: expect.stringContaining('/actions/') });
    await eventually(() => app.requests.some((r) => r.path === '/i'), 3000, 'the interaction posted');
    const posted = await fetch(click.result.responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"done"}' });
    expect(posted.status).toBe(200);
    const truth = (await (await fetch(`${sim.url}/_sim/truth?key=${ws.teamId}`)).json()) as { deliveries: { type: string }[]; apiCalls: { method: string }[] };
    expect(truth.deliveries.map((d) => d.type)).toEqual(['slash_commands', 'interactive']);
    expect(truth.apiCalls.map((c) => c.method)).toEqual(['response_url']);
    const keyless = (await (await fetch(`${sim.url}/_sim/truth`)).json()) as Record<string, unknown>;
    expect(keyless).not.toHaveProperty('deliveries');
    expect(keyless).toHaveProperty('envelopes');
  });
});
