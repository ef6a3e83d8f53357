import { SNAPSHOT_VERSIONS, step, type Effect, type LinkEvent, type LinkPolicy, type PersistedSnapshot, type SnapshotVersions, type StepEnv } from '../domain';
import {
  FencedWriteError,
  LinkExistsError,
  LinkNotFoundError,
  StaleWriteError,
  type Fence,
  type LinkRecord,
  type LinkStore,
} from '../ports';
import { parseLinkId } from './link-id';

export interface ApplyEventDeps {
  links: LinkStore;
  clock: { now(): number };
  /** A source in [0, 1) for the machine's jitter. */
  random: () => number;
  /**
   * Overrides of the machine's policy (backoff base and cap, stable-open threshold), passed to
   * every step. A worker sets its `WorkerOptions.policy` here; absent, the machine's defaults.
   */
  policy?: Partial<LinkPolicy>;
  /** The snapshot versions this code reads and writes; absent, this release's. */
  versions?: SnapshotVersions;
  /**
   * The version to store snapshots as, clamped to what `versions` writes. A worker passes the
   * lowest among live workers' heartbeats (see `Membership`), so no live worker is handed a
   * snapshot it cannot read. The Lambdas, which see no heartbeats, pass `versions.previous`
   * (`previousVersionWriter`): every worker of this or the previous release reads it. Absent
   * (embedded mode, one process, one release): `versions.current`.
   */
  writeVersion?: () => number;
}

export interface ApplyEventOptions {
  /** The caller's claim; the write then also requires it to be current. */
  fence?: Fence;
  /**
   * Load-step-save rounds before giving up. Each lost round means another writer succeeded,
   * so n concurrent writers on one link always finish within n rounds. Default 10.
   */
  maxAttempts?: number;
  /**
   * The link as the caller last saw it (the record its last claim or write returned). The first
   * round steps this instead of reading the link, saving a read per event. It stays sound because
   * the write is conditional on this record's version: if anything moved meanwhile, the write
   * fails as stale and the next round reads and steps the current link. An event that would
   * change nothing is never concluded from a possibly old record: it is stepped again on a read.
   */
  known?: LinkRecord;
  /**
   * The event applies only to a link that passes this check, judged on the very record that
   * would be stepped (every round). A link that fails it is left as it is: nothing is stepped,
   * written or returned to perform, and the result says `skipped`. This is how a caller acting on
   * something it read ("the retry is overdue", "the failure is about the current attempt") can
   * never act on a link that moved on between its read and the write.
   */
  when?: (link: LinkRecord) => boolean;
  /**
   * The caller registers a link it believes new (CONNECT only): the link is created without a
   * read first (the create is conditional on the link not existing). A link that does exist is
   * left as it is and the result says `skipped` (one read then, to return it). A registration of
   * thousands of links costs one store call each, not two.
   */
  createOnly?: true;
}

export interface ApplyEventResult {
  /** The link as stored after the event (or as read, when the event changed nothing). */
  link: LinkRecord;
  /** What the caller must now perform; the write has already happened. */
  effects: Effect[];
  /**
   * False when the event left the snapshot as it was; nothing was written. Effects may still
   * be present: a stray OPENED on a parked link asks to close that socket.
   */
  changed: boolean;
  /** The link failed the caller's `when` check: the event was not stepped. */
  skipped?: true;
}

export class ApplyEventConflictError extends Error {
  readonly code = 'APPLY_EVENT_CONFLICT';
  constructor(readonly linkId: string, readonly attempts: number, options?: { cause?: unknown }) {
    super(`link ${linkId}: still conflicting after ${attempts} attempts`, options);
    this.name = new.target.name;
  }
}

const defaultMaxAttempts = 10;

/**
 * Moves a link by one event: load, step the machine, write conditionally on the version read.
 * A stale write means another event landed in between, so the event is stepped again against
 * the newer snapshot: every event is applied exactly once, in some serial order.
 * A fenced write is final: the caller no longer holds the link.
 */
export const applyEvent = async (
  deps: ApplyEventDeps,
  linkId: string,
  event: LinkEvent,
  options: ApplyEventOptions = {},
): Promise<ApplyEventResult> => {
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  const { fence } = options;
  let lastConflict: unknown;
  // A record of another claim is no guide to this caller's link: read it.
  let known = options.known?.id === linkId && (!fence || (options.known.epoch === fence.epoch && options.known.owner === fence.owner)) ? options.known : undefined;
  for (let attempt = 1; attempt <= maxAttempts; ) {
    try {
      const result = await applyOnce(deps, linkId, event, options, known);
      if (result) return result;
    } catch (error) {
      // A lost create race is a conflict like any other: the next round steps the winner's link.
      if (!(error instanceof StaleWriteError || error instanceof LinkExistsError)) throw error;
      lastConflict = error;
      attempt += 1;
    }
    known = undefined;
  }
  throw new ApplyEventConflictError(linkId, maxAttempts, { cause: lastConflict });
};

const applyOnce = async (
  deps: ApplyEventDeps,
  linkId: string,
  event: LinkEvent,
  options: ApplyEventOptions,
  known: LinkRecord | undefined,
): Promise<ApplyEventResult | undefined> => {
  const { fence } = options;
  if (options.createOnly) return createOnly(deps, linkId, event);
  // Undefined result: the event changed nothing on the known record; step it on a read instead.
  const current = known ?? (await deps.links.get(linkId));
  const env = stepEnv(deps);
  if (!current) {
    // Only CONNECT brings a link into being; a fenced writer cannot hold a link that is not there.
    if (event.type !== 'CONNECT' || fence) throw new LinkNotFoundError(linkId);
    const created = step(undefined, event, env, deps.versions);
    const link = await deps.links.create({ ...parseLinkId(linkId), snapshot: stored(deps, created.snapshot) }, env.now);
    return { link, effects: created.effects, changed: true };
  }
  // Checked before stepping so a superseded worker learns it even when the event is a no-op.
  if (fence && (current.epoch !== fence.epoch || current.owner !== fence.owner)) {
    throw new FencedWriteError(linkId, fence, { owner: current.owner, epoch: current.epoch });
  }
  if (options.when && !options.when(current)) return known ? undefined : { link: current, effects: [], changed: false, skipped: true };
  const next = step(current.snapshot, event, env, deps.versions);
  if (!next.changed) return known ? undefined : { link: current, effects: next.effects, changed: false };
  const link = await deps.links.save({
    id: linkId,
    snapshot: stored(deps, next.snapshot),
    expectedVersion: current.version,
    now: env.now,
    ...(fence ? { fence } : {}),
  });
  return { link, effects: next.effects, changed: true };
};

/** `createOnly`: one conditional create, or the existing link untouched. */
const createOnly = async (deps: ApplyEventDeps, linkId: string, event: LinkEvent): Promise<ApplyEventResult> => {
  if (event.type !== 'CONNECT') throw new TypeError(`createOnly registers a link with CONNECT, not ${event.type}`);
  try {
    return await createConnecting(deps, linkId);
  } catch (error) {
    if (!(error instanceof LinkExistsError)) throw error;
    const current = await deps.links.get(linkId);
    // Created and gone again between the two calls: a conflict, and the next round creates it afresh.
    if (!current) throw error;
    return { link: current, effects: [], changed: false, skipped: true };
  }
};

/**
 * A new link stepped by CONNECT and created in one conditional write (it must not exist:
 * `LinkExistsError` otherwise), unowned, or with `owner` already claimed by that worker at epoch 1.
 * The worker that takes a registration from nothing (`ConnectCommand.register`) creates its link
 * this way: the claim's fence without a write of its own.
 */
export const createConnecting = async (deps: ApplyEventDeps, linkId: string, owner?: string): Promise<ApplyEventResult> => {
  const env = stepEnv(deps);
  const created = step(undefined, { type: 'CONNECT' }, env, deps.versions);
  const link = await deps.links.create({ ...parseLinkId(linkId), snapshot: stored(deps, created.snapshot), ...(owner === undefined ? {} : { owner }) }, env.now);
  return { link, effects: created.effects, changed: true };
};

/**
 * A new link created already `open` and claimed by `owner` (epoch 1), in one conditional write
 * (`LinkExistsError` if it exists): CONNECT then OPENED stepped here, for a registration whose
 * socket opened before its record was written (the worker's socket-first registration). The
 * effects are OPENED's; CONNECT's (open a socket) were done before the write.
 */
export const createOpened = async (deps: ApplyEventDeps, linkId: string, owner: string): Promise<ApplyEventResult> => {
  const env = stepEnv(deps);
  const connecting = step(undefined, { type: 'CONNECT' }, env, deps.versions);
  const opened = step(connecting.snapshot, { type: 'OPENED' }, env, deps.versions);
  const link = await deps.links.create({ ...parseLinkId(linkId), snapshot: stored(deps, opened.snapshot), owner }, env.now);
  return { link, effects: opened.effects, changed: true };
};

const stepEnv = (deps: ApplyEventDeps): StepEnv => ({ now: deps.clock.now(), random: deps.random, ...(deps.policy ? { policy: deps.policy } : {}) });

/** The snapshot as this writer stores it: of the version the live fleet can read (see `writeVersion`). */
const stored = (deps: ApplyEventDeps, snapshot: PersistedSnapshot): PersistedSnapshot => {
  const versions = deps.versions ?? SNAPSHOT_VERSIONS;
  const wanted = deps.writeVersion?.() ?? versions.current;
  return versions.write(snapshot, Math.min(versions.current, Math.max(versions.previous, wanted)));
};

/** For writers that cannot see the fleet (the Lambdas): always the version every live worker reads. */
export const previousVersionWriter = (versions: SnapshotVersions = SNAPSHOT_VERSIONS): (() => number) => () => versions.previous;
