import { beforeEach, expect, it } from 'vitest';
import { parseLinkId } from '../../shared/app';
import type { LinkRecord, LinkStore, Page, PageRequest } from '../../shared/ports';
import type { EngineHandle } from '../support/engines';
import { backoff, connecting, open } from '../support/link-fixtures';
import { newLinkStore } from '../support/link-tables';

const t0 = 1_700_000_000_000;

const allPages = async (
  fetchPage: (page: PageRequest) => Promise<Page<LinkRecord>>,
  limit: number,
): Promise<{ pages: LinkRecord[][]; ids: string[] }> => {
  const pages: LinkRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage({ limit, cursor });
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 50);
  return { pages, ids: pages.flat().map((link) => link.id) };
};

/** Index queries by state and by owner, with pagination: what sweepers and drains rely on. */
export const linkStoreQueriesContract = (engine: EngineHandle): void => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await newLinkStore(engine.client());
  });

  const seed = async (team: string, snapshot = connecting(t0), now = t0): Promise<LinkRecord> =>
    store.create({ ...parseLinkId(`rtm:A1:${team}`), snapshot }, now);

  it('lists links by state across pages, each exactly once', async () => {
    const connectingIds = await Promise.all(['T1', 'T2', 'T3', 'T4', 'T5'].map((t) => seed(t).then((l) => l.id)));
    await seed('T6', open(t0));
    await seed('T7', backoff(t0));

    const { pages, ids } = await allPages((page) => store.listByState('connecting', page), 2);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect([...ids].sort()).toEqual([...connectingIds].sort());
    expect((await store.listByState('open')).items.map((l) => l.id)).toEqual(['rtm:A1:T6']);
    expect((await store.listByState('revoked')).items).toEqual([]);
  });

  it('moves a link between state lists when it is saved', async () => {
    const link = await seed('T1');
    await store.save({ id: link.id, snapshot: open(t0), expectedVersion: 1, now: t0 + 1 });
    expect((await store.listByState('connecting')).items).toEqual([]);
    const listed = (await store.listByState('open')).items;
    expect(listed).toEqual([await store.get(link.id)]);
  });

  it('lists backoff links in retry order and bounds them by due time', async () => {
    // Created at different times so their retry times differ; the bound splits them.
    const links = await Promise.all([0, 1, 2, 3].map((i) => seed(`T${i}`, backoff(t0 + i * 60_000), t0 + i * 60_000)));
    const due = links.map((l) => l.nextAttemptAt as number);
    expect(new Set(due).size).toBe(4);
    const bound = [...due].sort((a, b) => a - b)[1] as number;

    const all = (await store.listByState('backoff')).items.map((l) => l.nextAttemptAt as number);
    expect(all).toEqual([...due].sort((a, b) => a - b));
    const overdue = (await store.listByState('backoff', { dueAtOrBefore: bound })).items;
    expect(overdue.map((l) => l.id).sort()).toEqual(links.filter((l) => (l.nextAttemptAt as number) <= bound).map((l) => l.id).sort());
    expect(overdue).toHaveLength(2);
  });

  it('lists the links a worker owns, by link id, across pages', async () => {
    const teams = ['T5', 'T1', 'T4', 'T2', 'T3'];
    for (const team of teams) {
      const link = await seed(team);
      await store.claim({ id: link.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    }
    const other = await seed('T8');
    await store.claim({ id: other.id, owner: 'w2', expectedEpoch: 0, now: t0 });
    await seed('T9'); // unowned: must appear in no owner's list

    const { pages, ids } = await allPages((page) => store.listByOwner('w1', page), 2);
    expect(pages.length).toBeGreaterThan(2);
    expect(ids).toEqual(teams.map((t) => `rtm:A1:${t}`).sort());
    expect((await store.listByOwner('w2')).items.map((l) => l.id)).toEqual([other.id]);
  });

  it('drops a link from its owner list on re-claim and on release', async () => {
    const a = await seed('T1');
    const b = await seed('T2');
    await store.claim({ id: a.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    await store.claim({ id: b.id, owner: 'w1', expectedEpoch: 0, now: t0 });
    await store.claim({ id: a.id, owner: 'w2', expectedEpoch: 1, now: t0 });
    await store.release(b.id, { owner: 'w1', epoch: 1 });
    expect((await store.listByOwner('w1')).items).toEqual([]);
    expect((await store.listByOwner('w2')).items.map((l) => l.id)).toEqual([a.id]);
  });

  it('rejects a cursor it never issued', async () => {
    await expect(store.listByOwner('w1', { cursor: 'not-a-cursor' })).rejects.toThrow(TypeError);
  });
};
