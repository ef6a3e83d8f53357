import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HISTORY_BUCKET_MS, type HistoryJson } from '../../functions/embedded/status/history';
import type { Counts } from '../../functions/embedded/status/link-board';
import { renderStatusPage } from '../../functions/embedded/status/page';
import { launchChromium } from '../support/chromium';

const counts = (open: number): Counts => ({ connecting: 0, open, backoff: 0, inactive: 0, revoked: 0 });

/**
 * The page's own script against a server whose live feed never connects (a proxy that buffers
 * or cuts `text/event-stream`): the charts still follow `/status.json`'s history. The page as
 * `npm start` serves it, from `renderStatusPage`; only the server around it is the test's.
 */
describe('status page charts without the live feed', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('draws the reconnects of a minute that only the 2 s poll reported', { timeout: 90_000 }, async () => {
    const now = Date.now();
    const minute = now - (now % HISTORY_BUCKET_MS);
    let history: HistoryJson = { bucketMs: HISTORY_BUCKET_MS, buckets: [{ at: minute, links: counts(2), reconnects: 0, events: 0 }] };
    let streamRequests = 0;
    server = createServer((req, res) => {
      if (req.url === '/events/stream') {
        streamRequests += 1;
        res.writeHead(502).end();
        return;
      }
      if (req.url === '/status.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ links: counts(2), workers: [], mode: 'simulated', summary: '', eventsDelivered: 0, storeWrites: 0, history }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderStatusPage({
        about: { mode: 'simulated', summary: 'test', startedAt: now, installUrl: '/slack/install' },
        counts: counts(2), rows: [], transitions: [], notes: [], history,
      }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(await page.getAttribute('#chart-reconnects', 'data-total')).toBe('0');

    // Two links dropped this minute: only /status.json says so.
    history = { ...history, buckets: [{ at: minute, links: counts(2), reconnects: 2, events: 5 }] };
    await page.locator('#chart-reconnects[data-total="2"]').waitFor({ timeout: 15_000 });
    expect(await page.getAttribute('#chart-events', 'data-total')).toBe('5');
    expect(await page.locator('#chart-reconnects rect.bar').count()).toBe(1);
    expect(streamRequests).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#live-text')).not.toBe('live');
  });
});
