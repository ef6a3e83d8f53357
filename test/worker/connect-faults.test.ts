import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SlackApi } from '../../shared/ports';
import { waitFor, World } from './harness/world';

describe('worker, connect-time faults', () => {
  let world: World;
  let slowFirstUrl = false;

  beforeAll(async () => {
    // The URL is valid for 200 ms; when asked, the worker's first rtm.connect answer arrives late.
    const wrapSlack = (api: SlackApi): SlackApi => ({
      authTest: (token) => api.authTest(token),
      openSocketModeConnection: (token) => api.openSocketModeConnection(token),
      rtmConnect: async (token) => {
        const answer = await api.rtmConnect(token);
        if (slowFirstUrl) {
          slowFirstUrl = false;
          await new Promise((r) => setTimeout(r, 400));
        }
        return answer;
      },
    });
    world = await World.start({ simulator: { rtm: { urlTtlMs: 200 } }, wrapSlack });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  it('gets a fresh URL after using an expired one', async () => {
    slowFirstUrl = true;
    const { linkId, teamId } = await world.addRtmLink();
    const link = await world.waitForState(linkId, 'open');
    expect(link.lastError).toBe('socket_url_expired');
    expect(world.sim.truth.connects(teamId).map((c) => c.outcome)).toEqual(['expired_url', 'hello']);
    expect(world.sim.truth.calls('rtm.connect', teamId)).toHaveLength(2);
  });

  it('backs off on too_many_websockets instead of looping, and opens once a slot frees', async () => {
    const app = world.sim.addApp({ socketMode: true });
    const squatters: WebSocket[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await fetch(`${world.sim.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${app.appToken}` } });
      const { url } = (await response.json()) as { url: string };
      const ws = new WebSocket(url);
      await new Promise((resolve) => ws.once('message', resolve));
      squatters.push(ws);
    }
    const squattersDone = Date.now();
    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    const linkId = `sm:${app.appId}:0`;
    await world.send(linkId, { type: 'CONNECT' });
    await waitFor(async () => (await world.link(linkId)).lastError === 'too_many_websockets', 5_000);
    const attempts = () => world.sim.truth.calls('apps.connections.open', app.appId).filter((c) => c.at >= squattersDone).length;
    await waitFor(() => attempts() >= 2, 15_000);
    const calls = attempts();
    // Every attempt after the first came through the restart workflow and waited out its backoff
    // (1 s, 2 s, ... windows) there: a tight loop would connect without a Wait in between.
    const backoffWaits = world.workflow
      .executions()
      .filter((e) => e.workflow === 'restart' && (e.input as { linkId?: string }).linkId === linkId)
      .flatMap((e) => e.waits);
    expect(backoffWaits.length).toBeGreaterThanOrEqual(calls - 1);
    expect(backoffWaits.every((w) => w.ms >= 1_000)).toBe(true);
    expect((await world.link(linkId)).attempt).toBeGreaterThanOrEqual(1);
    expect(world.sim.truth.maxOpen(app.appId)).toBeLessThanOrEqual(10);
    for (const ws of squatters.splice(0, 2)) ws.close();
    const link = await world.waitForState(linkId, 'open', 70_000);
    expect(link.state).toBe('open');
    for (const ws of squatters) ws.close();
  }, 90_000);
});
