import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { GatedRequestHandler } from '../../shared/adapters/dynamodb/gated-request-handler';

/** A DynamoDB stand-in that answers every GetItem with no item after `delayMs` (or never). */
async function store(delayMs: number | 'never'): Promise<{ url: string; server: Server; seen: () => number }> {
  let seen = 0;
  const server = createServer((req, res) => {
    seen += 1;
    req.resume();
    if (delayMs === 'never') return;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen: () => seen };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const client = (url: string, slots: number, requestTimeout: number, queueTimeoutMs: number) =>
  new DynamoDBClient({
    endpoint: url,
    region: 'local',
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: GatedRequestHandler.create({ requestTimeout, connectionTimeout: requestTimeout, throwOnRequestTimeout: true, slots, queueTimeoutMs }),
  });

const get = (c: DynamoDBClient) => c.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));

describe('GatedRequestHandler', () => {
  it('charges a burst\'s backlog to the gate, not to the store\'s timer: every call of a burst succeeds', async () => {
    const s = await store(120);
    servers.push(s.server);
    const c = client(s.url, 1, 300, 5_000);
    // Five calls through one connection take ~600 ms; each attempt takes 120 ms, well within 300.
    const results = await Promise.allSettled([get(c), get(c), get(c), get(c), get(c)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(s.seen()).toBe(5);
    c.destroy();
  });

  it('still fails every call, in bounded time, when the store holds requests', async () => {
    const s = await store('never');
    servers.push(s.server);
    const c = client(s.url, 1, 100, 250);
    const results = await Promise.allSettled([get(c), get(c), get(c)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason.name).toBe('TimeoutError');
    }
    // The first reached the store and timed out there; the ones behind it gave up in the gate.
    expect(s.seen()).toBeLessThanOrEqual(3);
    c.destroy();
  });
});
