import type { LinkRecord, LinkStore } from '../../shared/ports';

// Real-store decorators for tests: they delegate every call to a real LinkStore and only add
// counting or an interleaving point, so races can be staged deterministically without mocks.

export interface StoreCalls {
  get: number;
  create: number;
  save: number;
}

export const counting = (inner: LinkStore): { store: LinkStore; calls: StoreCalls } => {
  const calls: StoreCalls = { get: 0, create: 0, save: 0 };
  const store: LinkStore = {
    get: (id) => (calls.get++, inner.get(id)),
    create: (link, now) => (calls.create++, inner.create(link, now)),
    save: (update) => (calls.save++, inner.save(update)),
    claim: (claim) => inner.claim(claim),
    release: (id, fence) => inner.release(id, fence),
    listByState: (state, query) => inner.listByState(state, query),
    listByOwner: (owner, query) => inner.listByOwner(owner, query),
  };
  return { store, calls };
};

/** Runs `between` after each `get` returns and before its caller sees the result. */
export const afterEachGet = (
  inner: LinkStore,
  between: (read: LinkRecord | undefined, getNumber: number) => Promise<unknown>,
): LinkStore => {
  let gets = 0;
  return {
    ...counting(inner).store,
    get: async (id) => {
      const read = await inner.get(id);
      await between(read, ++gets);
      return read;
    },
  };
};
