import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/attack';
import { launchChromium } from './support/chromium';
import { NpmStart } from './support/npm-start';

// Attacks on the operator surface of a running `npm start` (simulator mode), as issue 12 tried
// them; each is refused and the store keeps every link as it was.
const RTM_WORKSPACES = 3;
const ACTIVE = RTM_WORKSPACES + 2;
const ADMIN_GETS = ['/', '/status.json', '/api/links', '/api/links?state=open', '/events/stream'];
const ADMIN_POSTS = ['/api/teams/TSIM0001/deactivate', '/api/teams/TSIM0001/reactivate', '/api/apps/A0LIFESM/deactivate', '/api/apps/A0LIFESM/reactivate'];
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-attack-'));
let run: NpmStart;
let port: number;
let browser: Browser | undefined;
const attackerPages: Server[] = [];

beforeAll(async () => {
  run = await NpmStart.start({ LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES), LIFELINE_SIM_SM_WORKSPACES: '2', LIFELINE_SIM_FAULTS: 'off' });
  port = Number(new URL(run.url).port);
  await run.waitFor(async () => (await run.status())?.links.open === ACTIVE, 60_000, 'every link to open');
}, 150_000);

afterAll(async () => {
  await browser?.close();
  for (const server of attackerPages) server.close();
  if (run) await run.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the attack and checks that no link changed (state, attempt, owner) because of it. */
async function unchanged(attack: () => Promise<void>): Promise<void> {
  const before = await run.linkStates();
  expect(Object.keys(before)).toHaveLength(ACTIVE);
  await attack();
  expect(await run.linkStates()).toEqual(before);
}

/** A page on another origin that posts a form to the operator API as soon as it loads. */
async function attackerPage(action: string, enctype: string): Promise<string> {
  const html = `<!doctype html><body><form id="f" method="POST" action="${action}" enctype="${enctype}"><input name="a" value="b"></form><script>document.getElementById('f').submit()</script></body>`;
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  attackerPages.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

describe('the operator surface of npm start refuses what issue 12 tried', () => {
  it('answers 401 to unauthenticated GETs and POSTs of every admin path, and the page says where the token is', async () => {
    await unchanged(async () => {
      for (const path of ADMIN_GETS) {
        const res = await fetch(`${run.url}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="lifeline"');
        const body = await res.text();
        if (path === '/') expect(body).toContain('operator-token');
        else expect(JSON.parse(body)).toMatchObject({ ok: false, error: 'unauthorized' });
      }
      for (const path of ADMIN_POSTS) {
        const res = await fetch(`${run.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(res.status, path).toBe(401);
      }
      // A token of another run, as a header or as the cookie, is no credential either.
      expect((await fetch(`${run.url}/status.json`, { headers: { authorization: 'Bearer tok-of-an-earlier-run' } })).status).toBe(401);
      expect((await fetch(`${run.url}/status.json`, { headers: { cookie: `lifeline_operator_${port}=tok-of-an-earlier-run` } })).status).toBe(401);
    });
  });

  it('refuses text/plain (form-encodable) POSTs to /api/*, with or without the cookie', async () => {
    const signIn = await fetch(run.printed().signIn!, { redirect: 'manual' });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    await unchanged(async () => {
      for (const path of ADMIN_POSTS) {
        const bare = await fetch(`${run.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
        expect(bare.status, path).toBe(401);
        // Even from our own origin with the operator's cookie: a text/plain body is what any page's form can send.
        const withCookie = await fetch(`${run.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie, origin: new URL(run.url).origin }, body: '{}' });
        expect(withCookie.status, path).toBe(415);
        expect(await withCookie.json()).toMatchObject({ error: 'not_json' });
      }
    });
  });

  it('refuses a rebinding Host (attacker.example resolving to 127.0.0.1), even carrying the token', async () => {
    await unchanged(async () => {
      for (const path of ADMIN_GETS) {
        const res = await rawRequest(port, { path, headers: { host: `attacker.example:${port}`, authorization: `Bearer ${run.token}` } });
        expect(res.status, path).toBe(403);
        expect(JSON.parse(res.body)).toMatchObject({ error: 'host_not_allowed' });
      }
      for (const path of ADMIN_POSTS) {
        const res = await rawRequest(port, { method: 'POST', path, body: '{}', headers: { host: `attacker.example:${port}`, authorization: `Bearer ${run.token}`, 'content-type': 'application/json' } });
        expect(res.status, path).toBe(403);
      }
    });
    // The same request with our own Host passes: the Host is what was refused.
    expect((await rawRequest(port, { path: '/status.json', headers: { host: `localhost:${port}`, authorization: `Bearer ${run.token}` } })).status).toBe(200);
  });

  it('refuses a cross-origin form POST in Chromium from a signed-in operator\'s browser (another site, and another app on localhost)', { timeout: 90_000 }, async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(run.printed().signIn!);
    await page.waitForURL(`http://localhost:${port}/`);
    expect((await context.cookies()).find((c) => c.name === `lifeline_operator_${port}`)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await unchanged(async () => {
      // The whole app: what once made the bot deaf in every workspace with one request.
      const action = `http://localhost:${port}/api/apps/A0LIFESM/deactivate`;
      for (const [attackerHost, enctype] of [['127.0.0.1', 'text/plain'], ['localhost', 'text/plain'], ['localhost', 'application/x-www-form-urlencoded']] as const) {
        const attackerPort = await attackerPage(action, enctype);
        const answered = page.waitForResponse((res) => res.url() === action);
        await page.goto(`http://${attackerHost}:${attackerPort}/`);
        const res = await answered;
        expect(res.status(), `${attackerHost} ${enctype}`).toBe(403);
        expect(await res.json()).toMatchObject({ ok: false, error: 'origin_not_allowed' });
      }
    });
  });

  it('sends the security headers on the page, the JSON and the live feed', async () => {
    const page = await run.operator('/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const feed = new AbortController();
    const stream = await run.operator('/events/stream', { signal: feed.signal });
    for (const res of [page, await run.operator('/status.json'), stream]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    feed.abort();
  });
});
