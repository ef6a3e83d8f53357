import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/http/handler';
import type { HttpRequest } from '../../functions/http/types';
import type { Sink, SinkAnswer, SinkEvent } from '../../shared/ports';
import { eventually } from '../support/wait-for';
import { InstallWorld } from './support/install-world';

// A classic app's Request URLs (`/slack/commands`, `/slack/interactive`) and the Events
// endpoint's delivery to the bot, through the shipped `node:http` adapter with real signatures:
// the bot's ack payload is the HTTP answer; everything refused reaches no bot.

const sign = (secret: string, ts: number, body: string): string => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
const FORM = 'application/x-www-form-urlencoded';

describe('commands, interactivity and events to the bot over HTTP', () => {
  let world: InstallWorld;
  let team: string;
  let seq = 0;

  beforeAll(async () => {
    world = await InstallWorld.start({ embeddedAnswer: false });
    team = world.sim.addWorkspace({ teamName: 'Bot routes' }).teamId;
    const visit = await world.install(team);
    expect(visit.body).toContain('Installed');
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });
  beforeEach(() => {
    world.sinkEvents.length = 0;
    world.sinkAnswer = undefined;
    world.sinkFailure = undefined;
  });

  const post = async (path: string, body: string, options: { ts?: number; signature?: string; contentType?: string; headers?: Record<string, string> } = {}) => {
    const ts = options.ts ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${world.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType ?? FORM,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': options.signature ?? sign(world.app.signingSecret, ts, body),
        ...options.headers,
      },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const commandForm = (fields: Record<string, string> = {}) =>
    new URLSearchParams({ command: '/ping', text: '', team_id: team, api_app_id: world.app.appId, user_id: 'U0SIMUSER', channel_id: 'C0GENERAL', trigger_id: 'tr.1', ...fields }).toString();
  const submission = (teamId = team) => ({
    type: 'view_submission', team: { id: teamId }, user: { id: 'U0SIMUSER', team_id: teamId }, api_app_id: world.app.appId,
    view: { id: 'V1', callback_id: 'feedback', state: { values: { feedback_block: { text: { type: 'plain_text_input', value: 'meh' } } } } },
  });
  const interactionForm = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const messageBody = (ts: string, extra: Record<string, unknown> = {}) => JSON.stringify({
    type: 'event_callback', team_id: team, api_app_id: world.app.appId, event_id: `Ev0BOT${++seq}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', text: 'hello', user: 'U0SIMUSER', channel: 'C0GENERAL', ts, event_ts: ts }, ...extra,
  });

  describe('/slack/commands', () => {
    it("answers with the bot's ack payload as JSON, and the bot got the command's fields as Bolt's HTTP receiver gives them", async () => {
      world.sinkAnswer = (event) => (event.kind === 'slash_commands' ? { ackPayload: { text: 'pong' } } : undefined);
      const res = await post('/slack/commands', commandForm());
      expect(res).toMatchObject({ status: 200, text: JSON.stringify({ text: 'pong' }) });
      expect(res.type).toContain('application/json');
      expect(world.sinkEvents).toHaveLength(1);
      expect(world.sinkEvents[0]).toMatchObject({
        kind: 'slash_commands', protocol: 'rtm', appId: world.app.appId, teamId: team, linkId: world.linkId(team), acceptsResponsePayload: true,
        payload: { command: '/ping', team_id: team, trigger_id: 'tr.1' },
      });
    });

    it('answers an empty 200 when the bot acked without a payload, and text when it acked with a string', async () => {
      expect(await post('/slack/commands', commandForm())).toMatchObject({ status: 200, text: '' });
      world.sinkAnswer = () => ({ ackPayload: 'plain answer' });
      const res = await post('/slack/commands', commandForm());
      expect(res).toMatchObject({ status: 200, text: 'plain answer' });
      expect(res.type).toContain('text/plain');
    });

    it('refuses a bad signature (401) and a stale timestamp (401) before the bot sees anything', async () => {
      const body = commandForm();
      expect((await post('/slack/commands', body, { signature: sign('not-the-secret', Math.floor(Date.now() / 1000), body) })).status).toBe(401);
      const stale = Math.floor(Date.now() / 1000) - 301;
      expect((await post('/slack/commands', body, { ts: stale, signature: sign(world.app.signingSecret, stale, body) })).status).toBe(401);
      expect(world.sinkEvents).toEqual([]);
    });

    it('refuses an oversized body with 413 (the shared body limit)', async () => {
      const res = await post('/slack/commands', commandForm({ text: 'x'.repeat(1_100_000) }));
      expect(res.status).toBe(413);
      expect(world.sinkEvents).toEqual([]);
    });

    it('refuses a malformed form with 400: no command, no team, not a form', async () => {
      expect(await post('/slack/commands', commandForm({ command: '' }))).toMatchObject({ status: 400, text: expect.stringContaining('no command') });
      expect(await post('/slack/commands', commandForm({ team_id: '' }))).toMatchObject({ status: 400, text: expect.stringContaining('no team_id') });
      expect((await post('/slack/commands', JSON.stringify({ command: '/ping', team_id: team }), { contentType: 'application/json' })).status).toBe(400);
      expect((await post('/slack/commands', commandForm({ api_app_id: 'A0SOMEONEELSE' }))).status).toBe(400);
      expect(world.sinkEvents).toEqual([]);
    });

    it('answers 503 when the bot refuses (Slack shows the user an error rather than a silent success)', async () => {
      world.sinkFailure = new Error('listener threw');
      const res = await post('/slack/commands', commandForm());
      expect(res).toMatchObject({ status: 503, text: 'the app could not answer' });
      expect(world.logs.some((l) => JSON.stringify(l).includes('the bot refused a command'))).toBe(true);
    });

    it('answers 503 for a team Lifeline holds no active installation of, and the bot sees nothing', async () => {
      const stranger = world.sim.addWorkspace({ teamName: 'Not installed' }).teamId;
      expect(await post('/slack/commands', commandForm({ team_id: stranger }))).toMatchObject({ status: 503 });
      expect(world.sinkEvents).toEqual([]);
    });

    it("answers Slack's unsigned SSL check with 200 and delivers nothing", async () => {
      expect(await post('/slack/commands', 'ssl_check=1&token=x', { signature: 'v0=unsigned' })).toMatchObject({ status: 200, text: '' });
      expect(world.sinkEvents).toEqual([]);
    });
  });

  describe('/slack/interactive', () => {
    it("answers a view submission with the bot's response_action errors", async () => {
      const errors = { response_action: 'errors', errors: { feedback_block: 'Please write at least 10 characters.' } };
      world.sinkAnswer = (event) => (event.kind === 'interactive' ? { ackPayload: errors } : undefined);
      const res = await post('/slack/interactive', interactionForm(submission()));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual(errors);
      expect(world.sinkEvents[0]).toMatchObject({ kind: 'interactive', teamId: team, acceptsResponsePayload: true, payload: { type: 'view_submission', view: { callback_id: 'feedback' } } });
    });

    it('refuses a payload that is not JSON, not an object, without a type or a team (400), and a bad signature (401)', async () => {
      expect((await post('/slack/interactive', 'payload=%7Bnot-json')).status).toBe(400);
      expect((await post('/slack/interactive', interactionForm([1, 2]))).status).toBe(400);
      expect((await post('/slack/interactive', interactionForm({ team: { id: team } }))).status).toBe(400);
      expect((await post('/slack/interactive', interactionForm({ type: 'block_actions' }))).status).toBe(400);
      expect((await post('/slack/interactive', 'text=no-payload')).status).toBe(400);
      const body = interactionForm(submission());
      expect((await post('/slack/interactive', body, { signature: sign('wrong', Math.floor(Date.now() / 1000), body) })).status).toBe(401);
      expect(world.sinkEvents).toEqual([]);
    });

    it('answers 503 when the bot does not answer in time, and drops the late answer', async () => {
      let answer!: (value: SinkAnswer) => void;
      const delivered: SinkEvent[] = [];
      const slowSink: Sink = { deliver: (events) => events.map((event) => (delivered.push(event), new Promise<SinkAnswer>((resolve) => (answer = resolve)))) };
      const handler = makeHandler({ ...world.deps, sink: slowSink, botAnswerWithinMs: 50 });
      const body = interactionForm(submission());
      const ts = Math.floor(Date.now() / 1000);
      const request: HttpRequest = {
        method: 'POST', path: '/slack/interactive', query: new URLSearchParams(), body,
        headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(world.app.signingSecret, ts, body) },
      };
      const res = await handler(request);
      expect(res).toMatchObject({ status: 503, body: 'the app did not answer in time' });
      expect(delivered).toHaveLength(1);
      answer({ ok: true, ackPayload: { response_action: 'clear' } });
    });
  });

  describe('/slack/events to the bot', () => {
    it('delivers an event_callback once: a retry of it is answered 200 and not delivered again', async () => {
      const body = messageBody('1700000100.000100');
      expect((await post('/slack/events', body, { contentType: 'application/json' })).status).toBe(200);
      expect((await post('/slack/events', body, { contentType: 'application/json', headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
      expect(world.sinkEvents).toHaveLength(1);
      expect(world.sinkEvents[0]).toMatchObject({ kind: 'events_api', teamId: team, acceptsResponsePayload: false, payload: { type: 'event_callback', event: { type: 'message', ts: '1700000100.000100' } } });
      expect(world.sinkEvents[0]!.id).toBe(`${world.app.appId}:${team}:message:C0GENERAL:1700000100.000100`);
    });

    it("answers 500 when the bot refuses, releasing the claim: Slack's retry is delivered", async () => {
      const body = messageBody('1700000100.000200');
      world.sinkFailure = new Error('bot down');
      expect((await post('/slack/events', body, { contentType: 'application/json' })).status).toBe(500);
      world.sinkFailure = undefined;
      expect((await post('/slack/events', body, { contentType: 'application/json', headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } })).status).toBe(200);
      expect(world.sinkEvents).toHaveLength(1);
      expect(world.sinkEvents[0]).toMatchObject({ retryAttempt: 1, retryReason: 'http_error' });
    });

    it('answers 200 and delivers nothing for an event of a team without an active installation', async () => {
      const stranger = world.sim.addWorkspace({ teamName: 'Stranger' }).teamId;
      const body = messageBody('1700000100.000300', { team_id: stranger });
      expect((await post('/slack/events', body, { contentType: 'application/json' })).status).toBe(200);
      expect(world.sinkEvents).toEqual([]);
    });

    it('delivers app_uninstalled to the bot as well as parking the installation', async () => {
      const leaving = world.sim.addWorkspace({ teamName: 'Leaving' }).teamId;
      expect((await world.install(leaving)).body).toContain('Installed');
      const body = JSON.stringify({ type: 'event_callback', team_id: leaving, api_app_id: world.app.appId, event_id: `Ev0BOT${++seq}`, event_time: Math.floor(Date.now() / 1000), event: { type: 'app_uninstalled' } });
      expect((await post('/slack/events', body, { contentType: 'application/json' })).status).toBe(200);
      expect((await world.installation(leaving))?.active).toBe(false);
      // Slack's event once, and (issue 15) Lifeline's notices of the install and the park.
      const slackEvents = world.sinkEvents.filter((e) => !e.kind.startsWith('lifeline_'));
      expect(slackEvents.map((e) => (e.payload as { event: { type: string } }).event.type)).toEqual(['app_uninstalled']);
      expect(world.sinkEvents.filter((e) => e.kind.startsWith('lifeline_')).map((e) => `${e.kind}:${e.teamId}`).sort()).toEqual([`lifeline_installed:${leaving}`, `lifeline_parked:${leaving}`]);
    });
  });
  describe('a message that arrives over RTM and over HTTP', () => {
    it('reaches the bot once: both paths claim the same key, one delivers, the other finds it claimed', async () => {
      const claims: { id: string; fresh: boolean }[] = [];
      const claim = world.dedupe.claim.bind(world.dedupe);
      world.dedupe.claim = async (id, now) => {
        const found = await claim(id, now);
        claims.push({ id, fresh: found.state === 'claimed' });
        return found;
      };
      try {
        await world.startWorker();
        await world.waitForState(world.linkId(team), 'open', 20_000);
        const ts = '1700000200.000100';
        const key = `${world.app.appId}:${team}:message:C0GENERAL:${ts}`;
        const [emitted] = world.sim.emitEvent({ appId: world.app.appId, teamId: team }, { type: 'message', text: 'hello both ways', user: 'U0SIMUSER', channel: 'C0GENERAL', ts }, { via: ['rtm', 'http'] });
        expect(emitted).toMatchObject({ rtmSockets: 1, http: true });
        // Both copies were claimed (whichever came first), so both paths are through with it.
        await eventually(() => claims.filter((c) => c.id === key).length === 2, 15_000, () => `two claims of ${key}: ${JSON.stringify(claims)}`);
        await eventually(() => world.sim.truth.httpDeliveries.find((d) => d.type === 'message' && d.status === 200), 15_000, 'the HTTP copy answered 200');
        expect(claims.filter((c) => c.id === key).map((c) => c.fresh).sort()).toEqual([false, true]);
        const delivered = world.sinkEvents.filter((e) => e.id === key);
        expect(delivered).toHaveLength(1);
      } finally {
        world.dedupe.claim = claim;
      }
    });
  });
});
