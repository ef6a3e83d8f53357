import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureLinkTable, startDynaliteServer } from '../../shared/adapters/dynalite';
import { gateRequests } from '../../shared/adapters/dynalite/request-gate';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { parseLinkId } from '../../shared/app';
import { connecting } from '../support/link-fixtures';

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

function post(port: number, path = '/'): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.connection ? { connection: res.headers.connection } : {}) }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeServer = () => new Promise((resolve) => server.close(() => resolve()));
  return (server.address() as AddressInfo).port;
}

describe('request gate: closing waits for handlers, not connections', () => {
  it('answers the request in flight, refuses new ones, and resolves only once the handler answered', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const server = createServer(async (_req, res) => {
      started();
      await released;
      res.end('answered');
    });
    const gate = gateRequests(server);
    const port = await listen(server);

    const first = post(port);
    await handlerStarted;
    expect(gate.inFlight).toBe(1);
    let closed = false;
    const closing = gate.close(10_000).then(() => (closed = true));

    const refused = await post(port);
    expect(refused.status).toBe(503);
    expect(refused.connection).toBe('close');
    expect(refused.body).toContain('shutting down');
    expect(closed).toBe(false);

    release();
    expect(await first).toMatchObject({ status: 200, body: 'answered' });
    await closing;
    expect(closed).toBe(true);
    expect(gate.inFlight).toBe(0);
  });

  it('gives up waiting after its limit when a handler never answers', async () => {
    const server = createServer(() => undefined); // never answers
    const gate = gateRequests(server);
    const port = await listen(server);
    const hung = post(port).catch(() => undefined);
    await new Promise((resolve) => server.once('request', resolve));
    const began = Date.now();
    await gate.close(200);
    expect(gate.inFlight).toBe(1);
    expect(Date.now() - began).toBeGreaterThanOrEqual(150);
    server.closeAllConnections();
    await hung;
  });
});

describe('embedded store stop', () => {
  it('writes in flight when stop begins land and are answered; nothing is lost or thrown afterwards', async () => {
    const store = await startDynaliteServer();
    const client = new DynamoDBClient({ endpoint: store.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    await ensureLinkTable(client, 'links');
    const links = new DynamoDbLinkStore({ client, tableName: 'links' });
    const t0 = Date.now();
    const firstLanded = new Promise((resolve) => store.onWrite(resolve));
    const writes = Array.from({ length: 40 }, (_, i) => links.create({ ...parseLinkId(`rtm:A1:T${i}`), snapshot: connecting(t0) }, t0).then(
      () => 'landed' as const,
      (error: Error) => error.message,
    ));
    await firstLanded; // the others are on their way or in dynalite's hands
    await store.stop();
    const outcomes = await Promise.all(writes);
    expect(outcomes).toContain('landed');
    // Each write either landed (and the tap counted it) or was refused with a clear answer: none half-done.
    const landed = outcomes.filter((o) => o === 'landed').length;
    expect(store.writes).toBe(landed);
    for (const outcome of outcomes) if (outcome !== 'landed') expect(outcome).toMatch(/shutting down|ECONNREFUSED|ECONNRESET|socket hang up/);
    client.destroy();
  });
});
