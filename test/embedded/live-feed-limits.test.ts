import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feedTransitions, startStatusServerRig, type RigOptions, type StatusServerRig } from '../../bench/security/status-server-rig';
import { RawHttpClient } from '../http/support/raw-http';
import { waitFor } from '../support/wait-for';

// The embedded listeners (status page and live feed with the operator token; /slack/*) as npm start assembles them, under clients
// that stop reading, trickle, or vanish. Bounds are small and injected; no test asserts speed.

let rig: StatusServerRig | undefined;
let dir: string | undefined;
const clients: RawHttpClient[] = [];
const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const reader of readers.splice(0)) await reader.cancel().catch(() => undefined);
  await rig?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rig = undefined;
});

async function start(options: Omit<RigOptions, 'dataDir'>): Promise<StatusServerRig> {
  dir = mkdtempSync(join(tmpdir(), 'lifeline-limits-'));
  rig = await startStatusServerRig({ dataDir: dir, ...options });
  return rig;
}

interface LimitStatus {
  streams: { open: number; max: number; closedStuck: number; refused: number };
  http: { bodiesTimedOut: number; bodiesAborted: number; requestsTimedOut: number; connectionsOpen: number };
}
const limitStatus = async (url: string): Promise<LimitStatus> => (await (await fetch(`${url}/status.json`, { headers: rig!.auth })).json()) as LimitStatus;

async function raw(url: string): Promise<RawHttpClient> {
  const client = await RawHttpClient.open(url);
  clients.push(client);
  return client;
}

/** A client that reads its feed as fast as it comes, counting the transition frames. */
async function reading(url: string): Promise<{ transitions: () => number }> {
  const res = await fetch(`${url}/events/stream`, { headers: rig!.auth });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  readers.push(reader);
  const decoder = new TextDecoder();
  let tail = '';
  let transitions = 0;
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      // Frames may straddle chunks: count in the joined text, then keep a short tail.
      const text = tail + decoder.decode(value, { stream: true });
      const cut = text.lastIndexOf('\n\n') + 2;
      transitions += text.slice(0, cut).split('event: transition\n').length - 1;
      tail = text.slice(cut);
    }
  })();
  return { transitions: () => transitions };
}

describe('the live feed (/events/stream)', () => {
  it('closes the feed of a client that stopped reading once its unsent bytes pass the bound, counts it, and keeps feeding a reading client', async () => {
    const { url, board } = await start({ streams: { maxStreams: 4, maxBufferedBytes: 256 * 1024 } });
    const stuck = await raw(url);
    stuck.write(`GET /events/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${rig!.auth.authorization}\r\n\r\n`);
    await waitFor(() => stuck.received.includes('event: counts'), 5_000);
    stuck.stopReading();
    const reader = await reading(url);

    // Loopback kernel buffers take several MB before the server's own buffer grows: feed until the bound trips.
    let fed = 0;
    while ((await limitStatus(url)).streams.closedStuck === 0 && fed < 200_000) {
      await feedTransitions(board, 2_000, { from: fed, batch: 50 });
      fed += 2_000;
    }

    expect((await limitStatus(url)).streams).toEqual({ open: 1, max: 4, closedStuck: 1, refused: 0 });
    await feedTransitions(board, 1, { from: fed, links: 1 });
    await waitFor(() => reader.transitions() === fed + 1, 10_000, () => `the reading client got ${reader.transitions()} of ${fed + 1} transitions`);
    stuck.drain();
    await stuck.untilClosed();
    expect(readFileSync(rig!.logFile, 'utf8')).toContain('live feed closed: its client is not reading');
  });

  it('refuses a feed past the cap with 503 and a reason, and the page and JSON show the counts', async () => {
    const { url } = await start({ streams: { maxStreams: 2 } });
    await reading(url);
    await reading(url);

    const third = await fetch(`${url}/events/stream`, { headers: rig!.auth });

    expect(third.status).toBe(503);
    expect(await third.text()).toMatch(/too many live feeds open \(2, LIFELINE_MAX_STREAMS\)/);
    expect((await limitStatus(url)).streams).toEqual({ open: 2, max: 2, closedStuck: 0, refused: 1 });
    expect(await (await fetch(`${url}/`, { headers: rig!.auth })).text()).toContain('live feeds: 2/2 open, 0 closed for not reading, 1 refused');
  });
});

describe('slow and aborted bodies on the embedded /slack/*', () => {
  it('cuts off a trickled body at the deadline and counts it in /status.json', async () => {
    const { url, slackUrl } = await start({ limits: { bodyTimeoutMs: 300 } });
    const slow = await raw(slackUrl);
    slow.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{');
    slow.trickle(20);

    await slow.untilClosed();

    expect(slow.received).toMatch(/^HTTP\/1\.1 408 /);
    expect((await limitStatus(url)).http).toMatchObject({ bodiesTimedOut: 1, bodiesAborted: 0 });
  });

  it('counts an aborted body and logs it at debug, with no error line', async () => {
    const { url, slackUrl, logFile } = await start({ limits: { bodyTimeoutMs: 30_000 } });
    const client = await raw(slackUrl);
    client.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n');
    await waitFor(() => client.received.includes('100 Continue'), 5_000);
    client.write('{"type":');
    client.destroy();

    await waitFor(async () => (await limitStatus(url)).http.bodiesAborted === 1, 5_000);

    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string; reason?: string });
    expect(lines.filter((line) => line.msg === 'request body refused')).toEqual([expect.objectContaining({ level: 'debug', reason: 'aborted' })]);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
