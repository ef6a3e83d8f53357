import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore, toLinkRecord } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, type DynaliteServer, type ItemWrite } from '../../shared/adapters/dynalite';
import { applyEvent } from '../../shared/app';
import { silentLogger } from '../../shared/adapters/log';
import { LinkBoard } from '../../functions/embedded/status/link-board';
import type { LinkStore } from '../../shared/ports';
import { waitFor } from '../support/wait-for';

let server: DynaliteServer | undefined;
afterEach(async () => server?.stop());
const quiet = silentLogger;

describe('write tap images feed the status board without reading links back', () => {
  it('hands out each link write as the item written, and the board keeps the newest version', async () => {
    server = await startDynaliteServer();
    const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureLinkTable(client, 'links');
    const links = new DynamoDbLinkStore({ client, tableName: 'links' });
    const writes: ItemWrite[] = [];
    server.onWrite((write) => void writes.push(write));
    const deps = { links, clock: Date, random: () => 0.5 };

    await applyEvent(deps, 'rtm:A1:T1', { type: 'CONNECT' });
    await links.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: Date.now() });
    await applyEvent(deps, 'rtm:A1:T1', { type: 'OPENED' }, { fence: { owner: 'w1', epoch: 1 } });

    const images = writes.filter((w) => w.pk === 'LINK#rtm:A1:T1').map((w) => w.item && toLinkRecord(w.item));
    expect(images.map((l) => l?.version)).toEqual([1, 1, 2]); // create (Put), claim and save (ALL_NEW)
    expect(images.at(-1)).toEqual(await links.get('rtm:A1:T1'));

    const board = new LinkBoard({ links, log: quiet });
    for (const image of [...images].reverse()) board.written(image!); // notices out of order
    expect(board.row('rtm:A1:T1')).toMatchObject({ state: 'open', owner: 'w1' });
  });

  it('reports a write whose client gave up before the answer (a store call that timed out, and landed)', async () => {
    server = await startDynaliteServer();
    const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureLinkTable(client, 'links');
    const links = new DynamoDbLinkStore({ client, tableName: 'links' });
    const deps = { links, clock: Date, random: () => 0.5 };
    await applyEvent(deps, 'rtm:A1:T1', { type: 'CONNECT' });
    const before = (await links.get('rtm:A1:T1'))!;
    const writes: ItemWrite[] = [];
    server.onWrite((write) => void writes.push(write));

    // The same item written back one version on, by a client that leaves once its request is sent.
    const item = { ...(await rawItem(server.endpoint, before.id)), version: { N: String(before.version + 1) } };
    await sendAndLeave(server.endpoint, 'PutItem', { TableName: 'links', Item: item });
    await waitFor(async () => (await links.get(before.id))?.version === before.version + 1, 5_000, 'the abandoned write never landed');

    await waitFor(() => writes.length === 1, 5_000, 'the write landed but the tap never reported it');
    expect(writes[0]).toMatchObject({ operation: 'PutItem', pk: `LINK#${before.id}` });
    expect(writes[0]?.item && toLinkRecord(writes[0].item).version).toBe(before.version + 1);
    client.destroy();
  });
});

describe('the status board re-reading written links', () => {
  it('keeps a link whose read failed for the next flush instead of dropping it', async () => {
    server = await startDynaliteServer();
    const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureLinkTable(client, 'links');
    const store = new DynamoDbLinkStore({ client, tableName: 'links' });
    let failNextRead = false;
    const links: LinkStore = Object.assign(Object.create(store) as LinkStore, {
      get: async (id: string) => {
        if (failNextRead) {
          failNextRead = false;
          throw Object.assign(new Error('a request has exceeded the configured requestTimeout'), { name: 'TimeoutError' });
        }
        return store.get(id);
      },
    });
    const deps = { links: store, clock: Date, random: () => 0.5 };
    await applyEvent(deps, 'rtm:A1:T1', { type: 'CONNECT' });
    const board = new LinkBoard({ links, log: quiet, flushMs: 60_000, resyncMs: 600_000 });
    await board.start();
    try {
      expect(board.row('rtm:A1:T1')?.state).toBe('connecting');
      await store.claim({ id: 'rtm:A1:T1', owner: 'w1', expectedEpoch: 0, now: Date.now() });
      await applyEvent(deps, 'rtm:A1:T1', { type: 'OPENED' }, { fence: { owner: 'w1', epoch: 1 } });
      board.touched('rtm:A1:T1');
      failNextRead = true;
      await board.flush();
      expect(failNextRead).toBe(false); // the read was tried, and failed
      await board.flush();
      expect(board.row('rtm:A1:T1')).toMatchObject({ state: 'open', owner: 'w1' });
    } finally {
      board.stop();
      client.destroy();
    }
  });
});

/** The item as stored, in DynamoDB's wire format. */
async function rawItem(endpoint: string, linkId: string): Promise<Record<string, unknown>> {
  const answer = await call(endpoint, 'GetItem', { TableName: 'links', Key: { pk: { S: `LINK#${linkId}` }, sk: { S: `LINK#${linkId}` } } });
  return (JSON.parse(answer) as { Item: Record<string, unknown> }).Item;
}

const headers = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${operation}`,
  'x-amz-date': '20200101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
});

function call(endpoint: string, operation: string, body: object): Promise<string> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'POST', path: '/', headers: headers(operation) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Sends a request and destroys the socket once it is sent, as an SDK call that timed out does. */
function sendAndLeave(endpoint: string, operation: string, body: object): Promise<void> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const req = request({ host: hostname, port, method: 'POST', path: '/', headers: headers(operation) });
    req.on('error', () => undefined);
    req.on('close', () => resolve());
    req.end(JSON.stringify(body), () => req.destroy());
  });
}
