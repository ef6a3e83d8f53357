import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { NpmStart } from './support/npm-start';

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

// Predicates run in the page; written as source text because this project compiles without DOM types.
const countIs = (state: string, n: number): string => `document.getElementById('count-${state}')?.textContent === '${n}'`;
const text = async (page: Page, selector: string): Promise<string> => (await page.textContent(selector)) ?? '';

describe('the status page in a real browser (Debian chromium)', () => {
  it('shows the counts change as a simulated fault happens, and "Add to Slack" installs through the simulator', { timeout: 180_000 }, async () => {
    browser = await launchChromium();
    run = await NpmStart.start({ LIFELINE_DATA_DIR: dataDir, LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES), LIFELINE_SIM_SM_WORKSPACES: '3', LIFELINE_SIM_FAULTS: 'off' });
    await run.waitFor(async () => (await run!.status())?.links.open === ACTIVE, 60_000, 'every link to open');
    const { simulatorUrl } = (await run.status())!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // localhost, not 127.0.0.1: the OAuth redirect URI names localhost, and the state cookie must come back to it.
    const home = run.url.replace('127.0.0.1', 'localhost');
    await page.goto(home);
    expect(await text(page, '#mode')).toContain('Simulator mode');
    expect(await text(page, '#count-open')).toBe(String(ACTIVE));

    // A workspace disables the integration on the simulator: the page follows, without a reload.
    await fetch(`${simulatorUrl}/_sim/workspace-status`, { method: 'POST', body: JSON.stringify({ teamId: 'TSIM0002', status: 'inactive' }), headers: { 'content-type': 'application/json' } });
    await page.waitForFunction(`${countIs('inactive', 1)} && ${countIs('open', ACTIVE - 1)}`, undefined, { timeout: 30_000 });
    await page.waitForFunction("[...document.querySelectorAll('#feed li')].some((li) => li.textContent.includes('TSIM0002') && li.textContent.includes('→ inactive'))", undefined, { timeout: 10_000 });
    expect(await page.getAttribute('#link-rtm\\:A0LIFERTM\\:TSIM0002', 'data-state')).toBe('inactive');
    await page.screenshot({ path: screenshotPath, fullPage: false });

    // "Add to Slack": our /slack/install, the simulator's authorize step, back to our success page.
    await page.click('#add-to-slack');
    await page.waitForURL(/\/slack\/oauth_redirect/, { timeout: 30_000 });
    expect(await text(page, 'h1')).toBe('Installed');
    await page.goto(home);
    await page.waitForFunction(countIs('open', ACTIVE), undefined, { timeout: 30_000 });
  });
});
