import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAppTokenMemory } from '../../shared/adapters/dynamodb';
import { applyEvent, appTokenFingerprint, socketModeLinkId } from '../../shared/app';
import { appTokenKey } from '../../shared/schema';
import { bringBackPoolOnNewAppToken } from '../../functions/worker/app-token-start';
import type { Worker } from '../../functions/worker/worker';
import { describeOnEngines } from '../support/engines';
import { createLinkTable } from '../support/link-tables';
import { registerSecrets } from '../support/log-capture';
import { waitFor, World } from './harness/world';

// Issue 15, "parked app links come back ... by a restart with a changed app token", on AWS: the
// fleet remembers a fingerprint of the app token in the table; a worker starting with another
// token brings back the pool links parked for it, once for the fleet.

const tokenA = 'xapp-1-A0MEM-1111-aaaaaaaaaaaaaaaaaaaa';
const tokenB = 'xapp-1-A0MEM-2222-bbbbbbbbbbbbbbbbbbbb';
registerSecrets(tokenA, tokenB);

describeOnEngines((engine) => {
  let memory: DynamoDbAppTokenMemory;
  let tableName: string;

  beforeAll(async () => {
    tableName = await createLinkTable(engine.client());
    memory = new DynamoDbAppTokenMemory({ client: engine.client(), tableName });
  });

  it('says changed for a first token and a new one, not for the same; keeps a fingerprint, never the token', async () => {
    expect(await memory.remember('A0MEM1', appTokenFingerprint(tokenA))).toBe(true);
    expect(await memory.remember('A0MEM1', appTokenFingerprint(tokenA))).toBe(false);
    expect(await memory.remember('A0MEM1', appTokenFingerprint(tokenB))).toBe(true);
    expect(await memory.remember('A0MEM2', appTokenFingerprint(tokenB))).toBe(true);
    const item = (await DynamoDBDocumentClient.from(engine.client()).send(new GetCommand({ TableName: tableName, Key: appTokenKey('A0MEM1') }))).Item;
    expect(item).toMatchObject({ type: 'app-token', fingerprint: appTokenFingerprint(tokenB) });
    expect(JSON.stringify(item)).not.toContain(tokenB);
    expect(item?.owner).toBeUndefined();
    expect(item?.state).toBeUndefined();
  });

  it('of workers starting together with a new token, exactly one sees it changed', async () => {
    await memory.remember('A0MEM3', appTokenFingerprint(tokenA));
    const seen = await Promise.all(Array.from({ length: 6 }, () => memory.remember('A0MEM3', appTokenFingerprint(tokenB))));
    expect(seen.filter(Boolean)).toHaveLength(1);
  });
});

describe('a worker starting with a changed app token brings its parked pool back (AWS)', () => {
  let world: World;
  let worker: Worker;
  let memory: DynamoDbAppTokenMemory;

  beforeAll(async () => {
    world = await World.start();
    worker = await world.startWorker();
    memory = new DynamoDbAppTokenMemory({ client: world.client, tableName: world.tableName });
  });
  afterAll(async () => world?.stop());

  it('pool links parked for the app token come back and the bot hears it; the same token again, or an operator\'s park, stays parked', async () => {
    const app = world.sim.addApp({ socketMode: true });
    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    const [badToken, operator] = [socketModeLinkId(app.appId, 0), socketModeLinkId(app.appId, 1)];
    await applyEvent(world.appDeps(), badToken, { type: 'CONNECT' });
    await applyEvent(world.appDeps(), badToken, { type: 'CONNECT_FAILED', error: 'invalid_auth' });
    await applyEvent(world.appDeps(), operator, { type: 'CONNECT' });
    await applyEvent(world.appDeps(), operator, { type: 'DISABLED', reason: 'operator' });
    expect((await world.link(badToken)).state).toBe('revoked');
    const config = { appId: app.appId, protocol: 'socket' as const, appToken: app.appToken };
    // The fleet ran with another (mistyped) token before.
    await memory.remember(app.appId, appTokenFingerprint(`${app.appToken}-typo`));

    expect(await bringBackPoolOnNewAppToken(worker, memory, config)).toEqual([badToken]);

    await world.waitForState(badToken, 'open');
    expect((await world.link(operator)).state).toBe('inactive');
    const notices = () => world.sinkEvents.filter((e) => e.appId === app.appId && e.kind === 'lifeline_reactivated');
    await waitFor(() => notices().length === 1, 5_000, () => 'lifeline_reactivated delivered');
    expect(notices()[0]?.payload).toMatchObject({ type: 'lifeline_reactivated', app_id: app.appId, reason: 'app_token_changed', link_ids: [badToken] });

    // A restart with the same token: nothing remembered differs, nothing moves, nobody is told.
    await applyEvent(world.appDeps(), badToken, { type: 'DISABLED', reason: 'link_disabled' });
    expect(await bringBackPoolOnNewAppToken(worker, memory, config)).toEqual([]);
    expect((await world.link(badToken)).state).toBe('inactive');
    expect(notices()).toHaveLength(1);
  });

  it('does nothing for an RTM app or without an app token', async () => {
    expect(await bringBackPoolOnNewAppToken(worker, memory, { appId: 'A0RTMONLY', protocol: 'rtm' })).toEqual([]);
    expect(await bringBackPoolOnNewAppToken(worker, memory, { appId: 'A0NOTOKEN', protocol: 'socket' })).toEqual([]);
  });
});
