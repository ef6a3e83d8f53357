import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { ensureLinkTable, startDynaliteServer, type DynaliteServer } from '../../shared/adapters/dynalite';
import { silentLogger } from '../../shared/adapters/log';
import { applyEvent, rtmLinkId, setLinksActive, socketModeLinkId, type OperatorDeps } from '../../shared/app';
import type { ConnectCommand } from '../../shared/ports';

// The app whose id once doubled as a "team": a Socket Mode app with two slots, and an RTM app in
// two workspaces. Operator actions run on dynalite through the real DynamoDB adapter.
const SM_APP = 'A0SM';
const RTM_APP = 'A0RTM';
const SLOTS = [socketModeLinkId(SM_APP, 0), socketModeLinkId(SM_APP, 1)];
const RTM = [rtmLinkId(RTM_APP, 'T1'), rtmLinkId(RTM_APP, 'T2')];

let server: DynaliteServer | undefined;
let deps: OperatorDeps;
let sent: ConnectCommand[];
afterEach(async () => server?.stop());
beforeEach(async () => {
  server = await startDynaliteServer();
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureLinkTable(client, 'links');
  sent = [];
  deps = {
    links: new DynamoDbLinkStore({ client, tableName: 'links' }),
    clock: Date,
    random: () => 0.5,
    queue: { send: async (command) => void sent.push(command), receive: async () => [] },
    workflow: { scheduleRetry: async () => undefined, cancelRetry: async () => undefined, startReactivation: async () => undefined, completeConnect: async () => undefined },
    metrics: { put: () => undefined },
    log: silentLogger,
  };
  for (const id of [...SLOTS, ...RTM]) await applyEvent(deps, id, { type: 'CONNECT' });
});

const states = async (): Promise<Record<string, string | undefined>> =>
  Object.fromEntries(await Promise.all([...SLOTS, ...RTM].map(async (id) => [id, (await deps.links.get(id))?.state])));

describe('operator actions: a team and a whole app are different targets', () => {
  it('a team deactivate given an app id parks nothing, and says the id is an app', async () => {
    const before = await states();
    const result = await setLinksActive(deps, { kind: 'team', id: SM_APP }, false);
    expect(result.links).toEqual([]);
    expect(result.appIdGivenAsTeam).toBe(true);
    expect(await states()).toEqual(before);
    expect(Object.values(before).every((state) => state === 'connecting')).toBe(true);
  });

  it("a team deactivate parks that workspace's link and no other", async () => {
    const result = await setLinksActive(deps, { kind: 'team', id: 'T1' }, false);
    expect(result.links).toEqual([{ id: rtmLinkId(RTM_APP, 'T1'), from: 'connecting', to: 'inactive', changed: true }]);
    expect(await states()).toEqual({ [SLOTS[0]!]: 'connecting', [SLOTS[1]!]: 'connecting', [RTM[0]!]: 'inactive', [RTM[1]!]: 'connecting' });
  });

  it('an app deactivate (asked for by name) parks every Socket Mode slot of the app, and reactivate brings them back', async () => {
    const parked = await setLinksActive(deps, { kind: 'app', id: SM_APP }, false);
    expect(parked.links.map((l) => [l.id, l.to]).sort()).toEqual(SLOTS.map((id) => [id, 'inactive']));
    expect((await states())[RTM[0]!]).toBe('connecting');

    sent.length = 0;
    const back = await setLinksActive(deps, { kind: 'app', id: SM_APP }, true);
    expect(back.links.map((l) => l.to)).toEqual(['connecting', 'connecting']);
    // Back to connecting means a connect command for each slot went to the workers' queue.
    expect(sent.map((c) => c.linkId).sort()).toEqual(SLOTS);
  });

  it('an unknown id matches nothing and changes nothing', async () => {
    const before = await states();
    const result = await setLinksActive(deps, { kind: 'app', id: 'A0NONE' }, false);
    expect(result).toEqual({ target: { kind: 'app', id: 'A0NONE' }, links: [] });
    expect(await states()).toEqual(before);
  });
});
