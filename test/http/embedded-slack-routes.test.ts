import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackRoutes } from '../../functions/embedded/slack-routes';
import type { InstallationStore } from '../../shared/ports';
import { InstallWorld, waitFor } from './support/install-world';

// `npm start` mounts /slack/* with `slackRoutes` on its own server: the shipped node:http adapter's
// request step, with the embedded answer budget (a failed park answers 500 within 2 s so Slack
// retries; slower work answers 200 and finishes after).

const sign = (secret: string, ts: number, body: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

describe('embedded /slack/* routes', () => {
  let world: InstallWorld;
  let server: Server | undefined;
  let seq = 0;

  beforeAll(async () => {
    world = await InstallWorld.start();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world?.stop();
  });

  /** The embedded server's routing of /slack/* (as `startStatusServer` mounts its route hooks), over the given park. */
  const serveEmbedded = async (park: InstallationStore['park']): Promise<string> => {
    const installations: InstallationStore = { get: (key) => world.installations.get(key), save: (r, v) => world.installations.save(r, v), park };
    const { config } = world;
    const route = slackRoutes({ ...config, redirectUri: config.redirectUri }, { ...world.deps, installations }, () => world.baseUrl);
    server = createServer((req, res) => {
      void route(req, res, new URL(req.url ?? '/', 'http://localhost')).then((handled) => handled || res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  const postUninstall = async (url: string, teamId: string, body = JSON.stringify({
    token: world.app.verificationToken, team_id: teamId, api_app_id: world.app.appId, type: 'event_callback',
    event: { type: 'app_uninstalled' }, event_id: `Ev0ROUTE${++seq}`, event_time: Math.floor(Date.now() / 1000),
  })) => {
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(world.app.signingSecret, ts, body) },
    });
    return { status: res.status, body };
  };

  it('answers 500 when the park fails within the budget, and 200 on Slack\'s retry', async () => {
    const teamId = 'T0ROUTES01';
    expect((await world.install(teamId)).body).toContain('Installed');
    let failures = 1;
    const url = await serveEmbedded(async (request) => {
      if (failures-- > 0) throw new Error('store unavailable');
      return world.installations.park(request);
    });

    const first = await postUninstall(url, teamId);
    expect(first.status).toBe(500);
    expect(await world.installation(teamId)).toMatchObject({ active: true });
    const retry = await postUninstall(url, teamId, first.body);
    expect(retry.status).toBe(200);
    expect(await world.installation(teamId)).toMatchObject({ active: false });
    expect((await world.link(world.linkId(teamId))).state).toBe('revoked');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  });

  it('answers 200 while a slow park is still running, and the park still completes', async () => {
    const teamId = 'T0ROUTES02';
    expect((await world.install(teamId)).body).toContain('Installed');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const url = await serveEmbedded(async (request) => {
      await gate;
      return world.installations.park(request);
    });

    expect((await postUninstall(url, teamId)).status).toBe(200);
    expect(await world.installation(teamId)).toMatchObject({ active: true });
    release();
    await waitFor(async () => (await world.installation(teamId))?.active === false, 5_000, 'the late park');
    await world.waitForState(world.linkId(teamId), 'revoked');
  });
});
