import { describe, expect, it } from 'vitest';
import { pagesOf } from '../../shared/app';
import type { Page, PageRequest } from '../../shared/ports';

describe('pagesOf: the one loop over a cursor', () => {
  it('follows the cursor to the end, through empty pages, passing the limit on every request', async () => {
    const pages: Array<Page<number>> = [{ items: [1, 2], cursor: 'a' }, { items: [], cursor: 'b' }, { items: [3] }];
    const requests: PageRequest[] = [];
    const seen: number[][] = [];
    for await (const page of pagesOf(async (request) => {
      requests.push(request);
      return pages[requests.length - 1]!;
    }, 2)) seen.push(page);

    expect(seen).toEqual([[1, 2], [], [3]]);
    expect(requests).toEqual([{ limit: 2 }, { limit: 2, cursor: 'a' }, { limit: 2, cursor: 'b' }]);
  });

  it('asks once when the first page has no cursor, and sends no limit unless given one', async () => {
    const requests: PageRequest[] = [];
    const seen: string[][] = [];
    for await (const page of pagesOf(async (request) => (requests.push(request), { items: ['x'] }))) seen.push(page);

    expect(seen).toEqual([['x']]);
    expect(requests).toEqual([{}]);
  });
});
