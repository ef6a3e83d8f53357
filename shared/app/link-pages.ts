import type { LinkStateName } from '../domain';
import type { LinkRecord, LinkStore, Page, PageRequest, StateQuery } from '../ports';

/**
 * Every page of a cursor-paginated listing, in order: the one loop over `Page.cursor`. A page may
 * be empty while more follow (the store's limit counts items read, not returned), so only a
 * missing cursor ends it.
 */
export async function* pagesOf<T>(list: (request: PageRequest) => Promise<Page<T>>, limit?: number): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const request: PageRequest = {};
    if (limit !== undefined) request.limit = limit;
    if (cursor !== undefined) request.cursor = cursor;
    const page = await list(request);
    yield page.items;
    cursor = page.cursor;
  } while (cursor);
}

/** The links in one state, a page at a time (`dueAtOrBefore` narrows to the due ones). */
export const pagesInState = (links: LinkStore, state: LinkStateName, query: Omit<StateQuery, 'cursor'> = {}): AsyncGenerator<LinkRecord[]> =>
  pagesOf((request) => links.listByState(state, { ...query, ...request }), query.limit);

/** The links one worker owns (by the eventually consistent owner index), a page at a time. */
export const pagesOwnedBy = (links: LinkStore, owner: string, limit?: number): AsyncGenerator<LinkRecord[]> =>
  pagesOf((request) => links.listByOwner(owner, request), limit);

/** Every link in the given states, read to the end: for callers that need the whole set at once. */
export async function allLinksIn(links: LinkStore, states: readonly LinkStateName[], limit = 500): Promise<LinkRecord[]> {
  const found: LinkRecord[] = [];
  for (const state of states) for await (const page of pagesInState(links, state, { limit })) found.push(...page);
  return found;
}
