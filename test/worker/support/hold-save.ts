import type { World } from '../harness/world';

/**
 * Holds the next write of one link until released, the rest of the store running as usual: a
 * test orders what the worker does while an event is being written (a slow store) without
 * guessing how long that write takes. `holding` resolves once the write is held.
 */
export function holdNextSave(world: World, linkId: string): { holding: Promise<void>; release: () => void } {
  const store = world.links;
  const save = store.save.bind(store);
  let release!: () => void;
  let held!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const holding = new Promise<void>((resolve) => (held = resolve));
  store.save = async (update) => {
    if (update.id !== linkId) return save(update);
    store.save = save;
    held();
    await released;
    return save(update);
  };
  return { holding, release };
}
