import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { SlackApiError } from '../../../shared/ports';
import { startSlackSimulator, type SlackSimulator } from '../../../shared/slack-simulator';
import { freePort } from '../../support/free-port';
import { startRawHttpServer } from '../../worker/support/raw-http-server';

let sim: SlackSimulator;
let api: HttpSlackApi;

beforeAll(async () => {
  sim = await startSlackSimulator({ rateLimits: false });
  api = new HttpSlackApi({ apiUrl: sim.apiUrl });
});
afterAll(() => sim.close());

async function failure(p: Promise<unknown>): Promise<SlackApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SlackApiError);
  return err as SlackApiError;
}

describe('HttpSlackApi against the simulator', () => {
  it('rtm.connect returns a socket URL, the team and the bot user', async () => {
    const ws = sim.addWorkspace();
    const out = await api.rtmConnect(ws.botToken);
    expect(out.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/websocket\//);
    expect(out).toMatchObject({ teamId: ws.teamId, selfId: ws.botUserId });
    expect(sim.truth.calls('rtm.connect', ws.teamId).map((c) => c.outcome)).toEqual(['ok']);
  });

  it('apps.connections.open sends the app token in the header and returns a Socket Mode URL', async () => {
    const app = sim.addApp();
    const out = await api.openSocketModeConnection(app.appToken);
    expect(out.url).toContain('/link/?ticket=');
    expect(out.url).toContain(`app_id=${app.appId}`);
  });

  it('auth.test says who a bot token is', async () => {
    const ws = sim.addWorkspace();
    expect(await api.authTest(ws.botToken)).toEqual({
      teamId: ws.teamId, userId: ws.botUserId, botId: ws.botId, appId: ws.appId,
    });
  });

  it('ok:false becomes a SlackApiError carrying Slack\'s error string', async () => {
    const err = await failure(api.rtmConnect('xoxb-not-a-token'));
    expect(err).toMatchObject({ method: 'rtm.connect', error: 'invalid_auth', details: { httpStatus: 200 } });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('a disabled token reports account_inactive, a granular token on RTM not_allowed_token_type', async () => {
    const ws = sim.addWorkspace();
    sim.setTokenStatus(ws.botToken, 'inactive');
    expect((await failure(api.rtmConnect(ws.botToken))).error).toBe('account_inactive');
    const granular = sim.addWorkspace({ granular: true });
    expect((await failure(api.rtmConnect(granular.botToken))).error).toBe('not_allowed_token_type');
  });

  it('a bot token on apps.connections.open is refused', async () => {
    const ws = sim.addWorkspace();
    expect((await failure(api.openSocketModeConnection(ws.botToken))).error).toBe('not_allowed_token_type');
  });

  it('HTTP 429 becomes ratelimited with Retry-After in milliseconds', async () => {
    const ws = sim.addWorkspace();
    sim.faults.rateLimit({ method: 'rtm.connect', key: ws.teamId, retryAfterSeconds: 7 });
    const err = await failure(api.rtmConnect(ws.botToken));
    expect(err).toMatchObject({ error: 'ratelimited', details: { httpStatus: 429, retryAfterMs: 7_000 } });
    // The fault was one-shot: the next call goes through.
    await expect(api.rtmConnect(ws.botToken)).resolves.toMatchObject({ teamId: ws.teamId });
  });

  it('a refused TCP connect reports ECONNREFUSED', async () => {
    const closed = new HttpSlackApi({ apiUrl: `http://127.0.0.1:${await freePort()}/api/` });
    const err = await failure(closed.authTest('xoxb-x'));
    expect(err).toMatchObject({ method: 'auth.test', error: 'ECONNREFUSED' });
    expect(err.details.httpStatus).toBeUndefined();
  });
});

describe('HttpSlackApi against a raw HTTP server (what the simulator does not produce)', () => {
  it('a 429 without Retry-After waits Slack\'s default 30 s', async () => {
    const server = await startRawHttpServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
    });
    try {
      const err = await failure(new HttpSlackApi({ apiUrl: server.apiUrl }).openSocketModeConnection('xapp-1'));
      expect(err).toMatchObject({ error: 'ratelimited', details: { httpStatus: 429, retryAfterMs: 30_000 } });
    } finally {
      await server.close();
    }
  });

  it('any other non-200 status becomes http_<status>', async () => {
    const server = await startRawHttpServer((_req, res) => res.writeHead(503).end('upstream down'));
    try {
      const err = await failure(new HttpSlackApi({ apiUrl: server.apiUrl }).rtmConnect('xoxb-1'));
      expect(err).toMatchObject({ error: 'http_503', details: { httpStatus: 503 } });
    } finally {
      await server.close();
    }
  });

  it('a 200 that is not Slack JSON becomes invalid_response', async () => {
    const server = await startRawHttpServer((_req, res) => res.writeHead(200).end('<html>proxy</html>'));
    try {
      expect((await failure(new HttpSlackApi({ apiUrl: server.apiUrl }).authTest('xoxb-1'))).error).toBe('invalid_response');
    } finally {
      await server.close();
    }
  });

  it('a server that never answers times out as ETIMEDOUT', async () => {
    const server = await startRawHttpServer(() => undefined);
    try {
      const slow = new HttpSlackApi({ apiUrl: server.apiUrl, timeoutMs: 200 });
      const err = await failure(slow.rtmConnect('xoxb-1'));
      expect(err).toMatchObject({ method: 'rtm.connect', error: 'ETIMEDOUT' });
    } finally {
      await server.close();
    }
  });

  it('posts to <apiUrl><method> with the token only in the Authorization header', async () => {
    const server = await startRawHttpServer((_req, res) => res.writeHead(200).end('{"ok":true,"url":"wss://x/link/?ticket=1"}'));
    try {
      await new HttpSlackApi({ apiUrl: server.apiUrl }).openSocketModeConnection('xapp-secret');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.url).toBe('/api/apps.connections.open');
      expect(server.requests[0]!.headers.authorization).toBe('Bearer xapp-secret');
    } finally {
      await server.close();
    }
  });

  it('uses an injected fetch and never puts the token in the error', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('{"ok":false,"error":"token_revoked"}', { status: 200 });
    };
    const err = await failure(new HttpSlackApi({ apiUrl: 'https://slack.test/api/', fetch: fakeFetch }).authTest('xoxb-secret-123'));
    expect(seen).toEqual(['https://slack.test/api/auth.test']);
    expect(err.error).toBe('token_revoked');
    expect(`${err.message} ${err.stack ?? ''}`).not.toContain('xoxb-secret-123');
  });

  it('a server that stalls mid-body times out as ETIMEDOUT (the limit covers the body)', async () => {
    const server = await startRawHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":true,');
    });
    try {
      const err = await failure(new HttpSlackApi({ apiUrl: server.apiUrl, timeoutMs: 300 }).rtmConnect('xoxb-1'));
      expect(err.error).toBe('ETIMEDOUT');
    } finally {
      await server.close();
    }
  });

  it('an answer cut short reports ECONNRESET, and one over 1 MB is refused unread', async () => {
    const server = await startRawHttpServer((req, res) => {
      if (req.url?.endsWith('auth.test')) {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"ok":true,');
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        res.writeHead(200);
        res.end(`{"ok":true,"url":"${'x'.repeat(2 * 1024 * 1024)}"}`);
      }
    });
    try {
      const slackApi = new HttpSlackApi({ apiUrl: server.apiUrl });
      expect((await failure(slackApi.authTest('xoxb-1'))).error).toBe('ECONNRESET');
      expect((await failure(slackApi.openSocketModeConnection('xapp-1'))).error).toBe('response_too_large');
    } finally {
      await server.close();
    }
  });

  it('keeps its connection alive between calls', async () => {
    const sockets = new Set<unknown>();
    const server = await startRawHttpServer((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"url":"wss://x/link/?ticket=1"}');
    });
    try {
      const slackApi = new HttpSlackApi({ apiUrl: server.apiUrl });
      for (let i = 0; i < 3; i++) await slackApi.openSocketModeConnection('xapp-1');
      expect(server.requests).toHaveLength(3);
      expect(sockets.size).toBe(1);
    } finally {
      await server.close();
    }
  });
});

