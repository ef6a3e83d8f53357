import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../functions/http/node-server';
import type { HttpRequest, HttpResponse } from '../../functions/http/types';
import { HttpLimitStats, type HttpLimits } from '../../shared/http';
import { capturingLogger } from '../support/log-capture';
import { waitFor } from '../support/wait-for';
import { RawHttpClient } from './support/raw-http';

// The limits every Lifeline listener has (shared/http), through the node:http adapter of
// functions/http. Deadlines are short and injected; nothing here asserts how fast anything is.

let server: Server | undefined;
const clients: RawHttpClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(limits: Partial<HttpLimits>, answer: (request: HttpRequest) => Promise<HttpResponse> = async () => ({ status: 201, headers: {}, body: 'done' })) {
  const stats = new HttpLimitStats();
  const { log, lines } = capturingLogger();
  const seen: HttpRequest[] = [];
  server = createHttpServer(async (request) => (seen.push(request), answer(request)), { limits, stats, log });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const open = async () => {
    const client = await RawHttpClient.open(url);
    clients.push(client);
    return client;
  };
  return { url, stats, seen, lines, open };
}

const levels = (lines: string[]): string[] => lines.map((line) => (JSON.parse(line) as { level: string }).level);

describe('slow and aborted clients (shared/http limits)', () => {
  it('cuts off a body trickled after its headers at the body deadline: 408, connection closed, handler never called', async () => {
    const { stats, seen, open } = await serve({ bodyTimeoutMs: 300, headersTimeoutMs: 30_000 });
    const client = await open();
    client.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    client.trickle(20);

    await client.untilClosed();

    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.trickled).toBeLessThan(100_000);
    expect(stats.counts()).toMatchObject({ bodiesTimedOut: 1, bodiesAborted: 0, requestsTimedOut: 0 });
    expect(seen).toEqual([]);
  });

  it('cuts off headers trickled past the header deadline with 408', async () => {
    const { stats, seen, open } = await serve({ headersTimeoutMs: 200 });
    const client = await open();
    client.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    client.trickle(20, 'a');

    await client.untilClosed();

    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(stats.counts().requestsTimedOut).toBe(1);
    expect(seen).toEqual([]);
  });

  it('counts an aborted body and logs it at debug, never at error', async () => {
    const { stats, seen, lines, open } = await serve({ bodyTimeoutMs: 30_000 });
    const client = await open();
    // `Expect: 100-continue`: Node answers 100 only once it has handed the request to the route, so the body read has begun.
    client.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n');
    await waitFor(() => client.received.includes('100 Continue'), 5_000);
    client.write('{"half":');
    client.destroy();

    await waitFor(() => stats.counts().bodiesAborted === 1, 5_000, () => JSON.stringify(stats.counts()));

    expect(levels(lines)).toEqual(['debug']);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'request body refused', reason: 'aborted', path: '/slack/events' });
    expect(seen).toEqual([]);
  });

  it('still refuses an oversized body with 413, counted', async () => {
    const { url, stats, seen } = await serve({ maxBodyBytes: 1024 });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', body: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(stats.counts().bodiesTooLarge).toBe(1);
    expect(seen).toEqual([]);
  });

  it('at the connection cap, the oldest slow client makes room and a signed-event-sized request is answered', async () => {
    const { url, stats, seen, open } = await serve({ maxConnections: 3, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 });
    const slow = [await open(), await open(), await open()];
    for (const client of slow) client.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{');
    await waitFor(() => stats.counts().connectionsOpen === 3, 5_000);

    const res = await fetch(`${url}/slack/events`, { method: 'POST', body: '{"type":"event_callback"}' });

    expect(res.status).toBe(201);
    expect(seen.map((r) => r.body)).toEqual(['{"type":"event_callback"}']);
    await slow[0]!.untilClosed();
    expect(stats.counts()).toMatchObject({ connectionsEvicted: 1, connectionsRefused: 0 });
    expect(slow.slice(1).map((c) => c.closed)).toEqual([false, false]);
  });

  it('refuses a new connection when every open one is being answered', async () => {
    const release: Array<() => void> = [];
    const { url, stats, seen, open } = await serve({ maxConnections: 2 }, () => new Promise((resolve) => release.push(() => resolve({ status: 201, headers: {}, body: 'late' }))));
    const answers = [fetch(`${url}/slack/events`, { method: 'POST', body: 'a' }), fetch(`${url}/slack/events`, { method: 'POST', body: 'b' })];
    await waitFor(() => seen.length === 2, 5_000);

    const refused = await open();
    await refused.untilClosed();

    expect(refused.received).toBe('');
    expect(stats.counts()).toMatchObject({ connectionsRefused: 1, connectionsEvicted: 0 });
    for (const done of release) done();
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([201, 201]);
  });
});
