import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore, toLinkRecord } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, type DynaliteServer, type ItemWrite } from '../../shared/adapters/dynalite';
import { applyEvent } from '../../shared/app';
import { silentLogger } from '../../shared/adapters/log';
import { LinkBoard } from '../../functions/embedded/status/link-board';

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
});
