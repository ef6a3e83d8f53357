import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { callApi } from './support/helpers';

let sim: SlackSimulator;
afterEach(async () => sim?.close());

/** A raw request: `fetch` will not let a caller choose `Host`, and a rebinding attacker's browser sends any name. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, sim.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const host = (): string => new URL(sim.url).host;
const json = { 'content-type': 'application/json' };

/** Simulator truth that an uninstall would change: the bot token answers, the workspace is installed. */
async function botAnswers(token: string): Promise<unknown> {
  return (await callApi(sim, 'auth.test', {}, { bearer: token })).body.ok;
}

describe('the simulator admin routes (/_sim/*) refuse cross-site requests with nothing done', () => {
  it('refuses a text/plain POST (what a form or a simple fetch on any web page can send)', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const reply = await send('/_sim/uninstall', { headers: { host: host(), 'content-type': 'text/plain' }, body: JSON.stringify({ appId: ws.appId, teamId: ws.teamId }) });
    expect(reply).toMatchObject({ status: 415, body: { ok: false, error: 'json_required' } });
    expect(await botAnswers(ws.botToken)).toBe(true);
    // A form POST has no JSON type either.
    const form = await send('/_sim/faults/kill', { headers: { host: host(), 'content-type': 'application/x-www-form-urlencoded' }, body: `teamId=${ws.teamId}` });
    expect(form.status).toBe(415);
  });

  it('refuses a rebinding Host, for reads and writes', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const rebinding = `attacker.example:${new URL(sim.url).port}`;
    const write = await send('/_sim/uninstall', { headers: { host: rebinding, ...json }, body: JSON.stringify({ appId: ws.appId, teamId: ws.teamId }) });
    expect(write).toMatchObject({ status: 403, body: { ok: false, error: 'host_not_allowed' } });
    const read = await send('/_sim/truth', { method: 'GET', headers: { host: rebinding } });
    expect(read).toMatchObject({ status: 403, body: { error: 'host_not_allowed' } });
    expect(await botAnswers(ws.botToken)).toBe(true);
  });

  it('refuses a foreign Origin, another local port, and a sandboxed (null) origin', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const port = Number(new URL(sim.url).port);
    for (const origin of ['https://attacker.example', `http://localhost:${port + 1}`, 'null']) {
      const reply = await send('/_sim/uninstall', { headers: { host: host(), origin, ...json }, body: JSON.stringify({ appId: ws.appId, teamId: ws.teamId }) });
      expect(reply, origin).toMatchObject({ status: 403, body: { ok: false, error: 'origin_not_allowed' } });
    }
    expect(await botAnswers(ws.botToken)).toBe(true);
  });

  it('serves a local JSON caller, with or without its own Origin, under every loopback name', async () => {
    sim = await startSlackSimulator();
    const ws = sim.addWorkspace();
    const port = new URL(sim.url).port;
    const truth = await send('/_sim/truth', { method: 'GET', headers: { host: `localhost:${port}` } });
    expect(truth.status).toBe(200);
    const other = sim.addWorkspace();
    const own = await send('/_sim/token-status', { headers: { host: `[::1]:${port}`, origin: `http://[::1]:${port}`, ...json }, body: JSON.stringify({ token: other.botToken, status: 'inactive' }) });
    expect(own).toMatchObject({ status: 200, body: { ok: true } });
    expect(await botAnswers(other.botToken)).toBe(false);
    const reply = await send('/_sim/uninstall', { headers: { host: host(), 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ appId: ws.appId, teamId: ws.teamId }) });
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
    expect(await botAnswers(ws.botToken)).toBe(false);
  });
});
