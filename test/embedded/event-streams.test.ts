import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreams } from '../../functions/embedded/status/event-streams';
import { capturingLogger } from '../support/log-capture';
import { waitFor } from '../support/wait-for';
import { RawHttpClient } from '../http/support/raw-http';

let server: Server | undefined;
let client: RawHttpClient | undefined;
afterEach(async () => {
  client?.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('EventStreams: a feed that falls behind', () => {
  it('gets no keep-alives or superseded counts while its writes back up, and only the latest counts once it drains', async () => {
    let latest = 0;
    const streams = new EventStreams({ maxBufferedBytes: 512 * 1024 * 1024 }, capturingLogger().log, () => ({ n: latest }));
    let feed: ServerResponse | undefined;
    server = createServer((_req, res) => {
      feed = res;
      streams.open(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    client = await RawHttpClient.open(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.write('GET /events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor(() => client!.received.includes('event: counts\ndata: {"n":0}'), 5_000);
    client.stopReading();

    // Rows until the kernel's buffers are full and the server's own starts to hold bytes.
    const row = { pad: 'x'.repeat(64 * 1024) };
    for (let i = 0; i < 2_000 && feed!.writableLength === 0; i++) {
      streams.send('row', row);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const queued = feed!.writableLength;
    expect(queued).toBeGreaterThan(0);
    for (let n = 1; n <= 50; n++) {
      latest = n;
      streams.send('counts', { n });
    }
    streams.keepAlive();
    expect(feed!.writableLength).toBe(queued);

    client.received = '';
    client.socket.resume();
    // Written in the drain callback, after every queued row: once it is here, nothing else is coming.
    await waitFor(() => /event: counts\ndata: .*\n\n/.test(client!.received), 10_000, () => 'the counts after the drain');
    expect(client.received.match(/event: counts\ndata: .*\n/g)).toEqual(['event: counts\ndata: {"n":50}\n']);
    expect(client.received).not.toContain(': keep-alive');
    expect(streams.counts()).toMatchObject({ open: 1, closedStuck: 0 });
  });
});
