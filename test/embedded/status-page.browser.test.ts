import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { planMoves } from '../../shared/app';
import { DEFAULT_WORKER_OPTIONS } from '../../functions/worker/options';
import { launchChromium } from '../support/chromium';
import { NpmStart, simPost, type StatusJson } from './support/npm-start';

const RTM_WORKSPACES = 8;
const ACTIVE = RTM_WORKSPACES + 2;
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-browser-'));
// LIFELINE_UPDATE_SCREENSHOT=1 refreshes the README's picture; otherwise it goes to the temp dir.
const screenshotPath = process.env.LIFELINE_UPDATE_SCREENSHOT === '1' ? join(process.cwd(), 'docs', 'status-page.png') : join(dataDir, 'status-page.png');
let run: NpmStart | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (run) await run.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
});

// Waits go through Playwright's locators, which run outside the page's CSP: a string predicate
// evaluated in the page would need 'unsafe-eval', which the page rightly does not allow.
const countIs = (page: Page, state: string, n: number): Promise<void> => page.locator(`#count-${state}`, { hasText: new RegExp(`^${n}$`) }).waitFor({ timeout: 30_000 });
const text = async (page: Page, selector: string): Promise<string> => (await page.textContent(selector)) ?? '';

type WorkerJson = StatusJson['workers'][number] & { capacity?: number; heartbeat?: number };

/**
 * The start's rebalance is over: the workers' heartbeats hold `held` links between them, no
 * worker would plan a move on those numbers (the product's own rule), and they stayed so over two
 * heartbeats of every worker (a hand-off completing in between would have changed them). A link
 * killed mid hand-off is rightly no drop (its taker's socket serves on), which is not what the
 * test is about; without this wait a kill could land in the moves `npm start` makes right after
 * every link opened.
 */
async function fleetSettled(run: NpmStart, held: number): Promise<void> {
  let since: { counts: string; beats: Map<string, number> } | undefined;
  await run.waitFor(async () => {
    const workers = ((await run.status())?.workers ?? []) as WorkerJson[];
    const fleet = workers.map((w) => ({ workerId: w.workerId, capacity: w.capacity ?? 0, linkCount: w.linkCount ?? -1, draining: false }));
    const balanced = fleet.length > 1 && fleet.reduce((sum, w) => sum + w.linkCount, 0) === held
      && fleet.every((w) => planMoves({ self: w.workerId, fleet, candidates: Array.from({ length: w.linkCount }, (_, i) => String(i)), budget: held, settings: { tolerance: DEFAULT_WORKER_OPTIONS.rebalanceTolerancePercent / 100 }, storeDegraded: false }).length === 0);
    const counts = fleet.map((w) => `${w.workerId}:${w.linkCount}`).join();
    if (!balanced || since?.counts !== counts) {
      since = balanced ? { counts, beats: new Map(workers.map((w) => [w.workerId, w.heartbeat ?? 0])) } : undefined;
      return false;
    }
    return workers.every((w) => (w.heartbeat ?? 0) >= (since!.beats.get(w.workerId) ?? 0) + 2);
  }, 90_000, 'the workers to settle at their shares');
}

describe('the status page in a real browser', () => {
  it('opens from the printed URL (token to cookie, clean URL), shows the counts change live as a simulated fault happens, and "Add to Slack" installs through the simulator', { timeout: 240_000 }, async () => {
    browser = await launchChromium();
    run = await NpmStart.start({ LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES), LIFELINE_SIM_SM_WORKSPACES: '3', LIFELINE_SIM_FAULTS: 'off' });
    await run.waitFor(async () => (await run!.status())?.links.open === ACTIVE, 60_000, 'every link to open');
    const { simulatorUrl } = (await run.status())!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });
    // The URL `npm start` printed, as the operator opens it: the token becomes an HttpOnly cookie
    // and the address bar ends at the clean URL (no token in history or in a shared screenshot).
    const printed = run.printed().signIn!;
    expect(printed).toMatch(/^http:\/\/localhost:\d+\/\?token=/);
    const home = printed.slice(0, printed.indexOf('?'));
    await page.goto(printed);
    await page.waitForURL(home);
    expect(page.url()).not.toContain('token');
    const cookie = (await context.cookies()).find((c) => c.name.startsWith('lifeline_operator_'));
    expect(cookie).toMatchObject({ value: run.token, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await text(page, '#mode')).toContain('Simulator mode');
    // The page's own (hashed) script runs under its CSP: it polled /status.json and opened the feed.
    await page.locator('#workers', { hasText: 'pid' }).waitFor({ timeout: 10_000 });
    expect(await text(page, '#live-text')).toBe('live');
    expect(await text(page, '#count-open')).toBe(String(ACTIVE));

    // A workspace disables the integration on the simulator: the page follows, without a reload.
    await simPost(simulatorUrl!, '/_sim/workspace-status', { teamId: 'TSIM0002', status: 'inactive' });
    await countIs(page, 'inactive', 1);
    await countIs(page, 'open', ACTIVE - 1);
    await page.locator('#feed li', { hasText: 'TSIM0002' }).filter({ hasText: '→ inactive' }).first().waitFor({ timeout: 10_000 });
    expect(await page.getAttribute('#link-rtm\\:A0LIFERTM\\:TSIM0002', 'data-state')).toBe('inactive');

    // The charts: drawn by the page's script as inline SVG (no fetch, within the CSP).
    await page.locator('#chart-links rect.bar.open').first().waitFor({ timeout: 10_000 });
    await fleetSettled(run, ACTIVE - 1);
    const before = Number(await page.getAttribute('#chart-reconnects', 'data-total'));
    const killed = (await (await simPost(simulatorUrl!, '/_sim/faults/kill', { teamId: 'TSIM0003' })).json()) as { result: { sockets: number } };
    expect(killed.result.sockets).toBe(1);
    // The link's drop reaches the chart over the live feed, without a reload: the total moves and a bar is drawn.
    await page.locator(`#chart-reconnects:not([data-total="${before}"])`).waitFor({ timeout: 30_000 });
    expect(Number(await page.getAttribute('#chart-reconnects', 'data-total'))).toBeGreaterThan(before);
    expect(await page.locator('#chart-reconnects rect.bar').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-reconnects rect.bar title').first().textContent()).toMatch(/^\d\d:\d\d: \d+ reconnects$/);
    // /status.json carries the same history: the current minute counts the reconnect.
    const { history } = (await run.status()) as unknown as { history: { bucketMs: number; buckets: { reconnects: number }[] } };
    expect(history.bucketMs).toBe(60_000);
    expect(history.buckets.reduce((sum, b) => sum + b.reconnects, 0)).toBeGreaterThanOrEqual(1);
    await countIs(page, 'open', ACTIVE - 1);
    await page.screenshot({ path: screenshotPath, fullPage: false });

    // "Add to Slack": /slack/install on the Slack listener, the simulator's authorize step, back to our success page.
    expect(await page.getAttribute('#add-to-slack', 'href')).toBe(`${run.slackUrl}/slack/install`);
    await page.click('#add-to-slack');
    await page.waitForURL(/\/slack\/oauth_redirect/, { timeout: 30_000 });
    expect(await text(page, 'h1')).toBe('Installed');
    // The same, started on 127.0.0.1 (the redirect URI says localhost): it moves to localhost
    // before the state cookie is set, so the callback finds it, and completes.
    await page.goto(`${run.slackUrl.replace('localhost', '127.0.0.1')}/slack/install`);
    await page.waitForURL(/\/slack\/oauth_redirect/, { timeout: 30_000 });
    expect(new URL(page.url()).hostname).toBe('localhost');
    expect(await text(page, 'h1')).toBe('Installed');
    // Back on the status page, still signed in by the cookie (no token in the URL).
    await page.goto(home);
    await countIs(page, 'open', ACTIVE + 1);
    expect(blocked).toEqual([]);
  });
});
