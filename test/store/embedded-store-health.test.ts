import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbEventDedupe } from '../../shared/adapters/dynamodb';
import { parseLinkId } from '../../shared/app';
import { openEmbeddedStore, type EmbeddedStore } from '../../functions/embedded/store';
import { capturingLogger } from '../support/log-capture';
import { connecting } from '../support/link-fixtures';
import { waitFor } from '../support/wait-for';

const t0 = 1_700_000_000_000;
const minute = 60_000;

const enospc = (): Error => Object.assign(new Error('IO error: /store/000005.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });

describe('the embedded store stays healthy', () => {
  let store: EmbeddedStore | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });

  const open = async (clock: { now(): number } = Date) => {
    dir = mkdtempSync(join(tmpdir(), 'lifeline-store-'));
    const { log, lines } = capturingLogger({ test: 'store' });
    store = await openEmbeddedStore(dir, 'lifeline', { clock, log, ttlSweepMs: 3_600_000 });
    return { store, lines };
  };
  const scanAll = async (s: EmbeddedStore) => (await DynamoDBDocumentClient.from(s.client).send(new ScanCommand({ TableName: s.tableName, ConsistentRead: true }))).Items ?? [];

  it('an hour of events with an injected clock leaves no expired item, and every link', async () => {
    let now = t0;
    const { store: s } = await open({ now: () => now });
    const dedupe = new DynamoDbEventDedupe({ client: s.client, tableName: s.tableName });
    await s.links.create({ ...parseLinkId('rtm:A1:T1'), snapshot: connecting(t0) }, t0);
    const perMinute = 6;
    let n = 0;
    for (let step = 0; step < 60; step++, now += minute) {
      for (let i = 0; i < perMinute; i++, n++) {
        const claim = await dedupe.claim(`A1:Ev${n}`, now);
        // Two in three delivered and completed, one in three left in progress by a holder that died.
        if (claim.state === 'claimed' && i % 3 !== 0) await dedupe.complete(`A1:Ev${n}`, claim.holder, now + 50, { i });
      }
      await dedupe.claimOnce(`oauth-state:${step}`, now);
      await s.ttl.sweep();
    }
    now -= minute;
    const items = await scanAll(s);
    const events = items.filter((item) => String(item.pk).startsWith('EVENT#'));
    expect(events.filter((item) => (item.claimedUntil as number) <= now)).toEqual([]);
    expect(events.filter((item) => (item.expiresAt as number) * 1000 <= now)).toEqual([]);
    // What is left: at most the last 11 minutes' completed claims and markers (held 10 minutes),
    // and the in-progress claims of the last minute (held 3 s), not the hour's 420 items.
    const completedPerMinute = (perMinute * 2) / 3 + 1;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(11 * completedPerMinute + perMinute / 3);
    expect(events.filter((item) => item.claimState === 'in-progress').every((item) => item.claimedAt === now)).toBe(true);
    expect(items.some((item) => item.pk === 'LINK#rtm:A1:T1' || String(item.pk).includes('rtm:A1:T1'))).toBe(true);
  });

  it('keeps an item re-claimed since the sweep read it: each delete holds only while the item is expired', async () => {
    let now = t0;
    const { store: s } = await open({ now: () => now });
    const dedupe = new DynamoDbEventDedupe({ client: s.client, tableName: s.tableName, inProgressMs: 3_000 });
    await dedupe.claim('A1:Ev1', now);
    now += 10_000;
    await dedupe.claim('A1:Ev1', now); // taken again: expires anew
    expect(await s.ttl.sweep()).toBe(0);
    expect((await dedupe.claim('A1:Ev1', now + 1)).state).toBe('in-progress');
  });

  it('a full disk refuses writes with a clear DynamoDB-style error, keeps serving reads, and resumes when space returns', async () => {
    const { store: s, lines } = await open();
    await s.links.create({ ...parseLinkId('rtm:A1:T1'), snapshot: connecting(t0) }, t0);
    const dedupe = new DynamoDbEventDedupe({ client: s.client, tableName: s.tableName });

    s.server.storage!.inject('write', enospc());
    const refused = await dedupe.claim('A1:Ev1', Date.now()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('InternalServerError');
    expect((refused as Error).message).toMatch(/embedded store .*write refused: LEVEL_IO_ERROR: IO error: .*No space left on device/);
    expect(s.server.storage!.refusing).toBe(true);
    expect(lines.some((line) => line.includes('storage refused a write'))).toBe(true);
    // Reads still answer: the store process is up, and what was written is there.
    expect((await s.links.get('rtm:A1:T1'))?.id).toBe('rtm:A1:T1');

    s.server.storage!.inject('write', undefined);
    await waitFor(() => !s.server.storage!.refusing, 10_000, 'writes resume');
    expect((await dedupe.claim('A1:Ev1', Date.now())).state).toBe('claimed');
    expect(lines.some((line) => line.includes('storage writable again'))).toBe(true);
  });

  it('a storage read failure is a refused request too, not an uncaught error', async () => {
    const { store: s } = await open();
    s.server.storage!.inject('read', Object.assign(new Error('IO error: read failed'), { code: 'LEVEL_IO_ERROR' }));
    const error = await s.links.get('rtm:A1:T1').catch((e: unknown) => e);
    expect((error as Error).name).toBe('InternalServerError');
    expect((error as Error).message).toMatch(/read refused: LEVEL_IO_ERROR: IO error: read failed/);
    s.server.storage!.inject('read', undefined);
    expect(await s.links.get('rtm:A1:T1')).toBeUndefined();
  });
});
