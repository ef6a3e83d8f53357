import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../functions/http/node-server';
import type { HttpRequest } from '../../functions/http/types';

describe('createHttpServer (embedded adapter)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  const serve = async (options: Parameters<typeof createHttpServer>[1] = {}) => {
    const seen: HttpRequest[] = [];
    const server = createHttpServer(async (request) => (seen.push(request), { status: 201, headers: { 'x-ok': '1' }, body: 'done' }), options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  };

  it('hands the handler the raw body, path, query and lower-case headers', async () => {
    const { url, seen } = await serve();
    const body = '{"a": 1,  "spaces":"kept" }';
    const res = await fetch(`${url}/slack/events?x=1`, { method: 'POST', body, headers: { 'X-Slack-Signature': 'v0=1' } });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('done');
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/slack/events', body, headers: { 'x-slack-signature': 'v0=1' } });
    expect(seen[0]?.query.get('x')).toBe('1');
  });

  it('refuses an oversized body with 413 without calling the handler', async () => {
    const { url, seen } = await serve({ maxBodyBytes: 1024 });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', body: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('passes other paths to the fallback (a status page)', async () => {
    const { url, seen } = await serve({ fallback: (_req, res) => res.writeHead(200).end('status') });
    expect(await (await fetch(`${url}/`)).text()).toBe('status');
    expect(seen).toEqual([]);
  });
});
