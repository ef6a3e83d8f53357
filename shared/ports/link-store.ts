import type { LinkProtocol, LinkStateName, PersistedSnapshot } from '../domain';

export type { LinkProtocol };

/** What identifies a link besides its id; derived from the id by `parseLinkId`. */
export interface LinkIdentity {
  id: string;
  protocol: LinkProtocol;
  appId: string;
  /** RTM links: the workspace. */
  teamId?: string;
  /** Socket Mode links: the pool slot, 0..9. */
  slot?: number;
}

/**
 * A stored link. `state`, `attempt`, `nextAttemptAt` and `lastError` are copies of the snapshot
 * made by the store on every write, so they cannot disagree with it; they exist for the indexes
 * and for operators reading the table.
 */
export interface LinkRecord extends LinkIdentity {
  snapshot: PersistedSnapshot;
  state: LinkStateName;
  attempt: number;
  nextAttemptAt?: number;
  lastError?: string;
  /** The worker holding the socket, if any. */
  owner?: string;
  /** Grows by one with every claim; fences out workers whose claim is no longer current. */
  epoch: number;
  /** Grows by one with every snapshot write (1 on create); claims do not change it. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A writer's proof that it holds the link: the owner and epoch its claim produced. */
export interface Fence {
  owner: string;
  epoch: number;
}

export interface NewLink extends LinkIdentity {
  snapshot: PersistedSnapshot;
  /**
   * Created already claimed by this worker (epoch 1), as a claim of the new link would leave it:
   * a registration from nothing costs one conditional write instead of a create and a claim.
   */
  owner?: string;
}

export interface SaveLink {
  id: string;
  snapshot: PersistedSnapshot;
  /** The version that was read; the write happens only if it is still current. */
  expectedVersion: number;
  now: number;
  /** When given, the write also requires this owner and epoch to be current. */
  fence?: Fence;
}

export interface ClaimLink {
  id: string;
  owner: string;
  /** The epoch the claimer saw; the claim succeeds only if it is still current. */
  expectedEpoch: number;
  /**
   * The claim succeeds only if the link is also in this state: a worker claiming from a connect
   * command states `connecting` here instead of reading the link first (one store call, not two,
   * per link in a cold start). Refused, the error is the same `FencedWriteError` as for the epoch.
   */
  expectedState?: LinkStateName;
  now: number;
}

export interface PageRequest {
  /** Upper bound per page; a page may hold fewer even when more follow. */
  limit?: number;
  /** Opaque, from the previous page. */
  cursor?: string;
}

export interface StateQuery extends PageRequest {
  /** Only links whose `dueAt` (retry time in backoff, else last write) is at or before this. */
  dueAtOrBefore?: number;
  /** Only links whose `dueAt` is at or after this: for a parked link, "parked (or written) since". */
  dueAtOrAfter?: number;
}

export interface Page<T> {
  items: T[];
  /** Present when there may be more; pass it back to continue. */
  cursor?: string;
}

/**
 * Persistence of links. Every write is conditional; failures are `LinkStoreError`s:
 * - `create`: `LinkExistsError`.
 * - `save`: `LinkNotFoundError`, `FencedWriteError` (fence given and no longer current; takes
 *   precedence), `StaleWriteError` (version moved on).
 * - `claim`: `LinkNotFoundError`, `FencedWriteError` (epoch moved on: someone else claimed; or,
 *   with `expectedState`, the link is no longer in that state).
 * - `release`: `LinkNotFoundError`, `FencedWriteError`.
 * Reads of one link are strongly consistent; index queries are eventually consistent.
 */
export interface LinkStore {
  /** Stores a new link at version 1, epoch 0, without an owner (with `owner`: epoch 1, that owner). */
  create(link: NewLink, now: number): Promise<LinkRecord>;
  get(id: string): Promise<LinkRecord | undefined>;
  /** Replaces the snapshot and bumps `version` by one. Owner and epoch are untouched. */
  save(update: SaveLink): Promise<LinkRecord>;
  /** Sets `owner` and `epoch = expectedEpoch + 1`; the result's epoch is the caller's fence. */
  claim(claim: ClaimLink): Promise<LinkRecord>;
  /** Drops the owner (keeps the epoch) if the fence is still current: a drain's hand-off. */
  release(id: string, fence: Fence): Promise<LinkRecord>;
  listByState(state: LinkStateName, query?: StateQuery): Promise<Page<LinkRecord>>;
  listByOwner(owner: string, query?: PageRequest): Promise<Page<LinkRecord>>;
}

// One error family for the LinkStore boundary. Callers narrow with `instanceof` or `code`, never
// by reading `message`; adapters translate their engine's errors into these before returning.

export type LinkStoreErrorCode = 'STALE_WRITE' | 'FENCED_WRITE' | 'LINK_NOT_FOUND' | 'LINK_EXISTS';

export abstract class LinkStoreError extends Error {
  abstract readonly code: LinkStoreErrorCode;
  readonly linkId: string;

  constructor(linkId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.linkId = linkId;
  }
}

/** Someone else wrote the link since it was read. Reload, re-step, try again. */
export class StaleWriteError extends LinkStoreError {
  readonly code = 'STALE_WRITE';
  constructor(
    linkId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
    options?: { cause?: unknown },
  ) {
    super(linkId, `link ${linkId}: expected version ${expectedVersion}, found ${actualVersion}`, options);
  }
}

/**
 * The writer's claim is no longer current: another worker claimed the link since (or the claim
 * raced and lost). Not retryable: the caller must let go of the link.
 */
export class FencedWriteError extends LinkStoreError {
  readonly code = 'FENCED_WRITE';
  constructor(
    linkId: string,
    readonly expected: { owner?: string; epoch: number },
    readonly actual: { owner?: string; epoch: number },
    options?: { cause?: unknown },
  ) {
    super(
      linkId,
      `link ${linkId}: fenced, expected epoch ${expected.epoch} (owner ${expected.owner ?? '-'}), ` +
        `found epoch ${actual.epoch} (owner ${actual.owner ?? '-'})`,
      options,
    );
  }
}

export class LinkNotFoundError extends LinkStoreError {
  readonly code = 'LINK_NOT_FOUND';
  constructor(linkId: string, options?: { cause?: unknown }) {
    super(linkId, `link ${linkId} does not exist`, options);
  }
}

export class LinkExistsError extends LinkStoreError {
  readonly code = 'LINK_EXISTS';
  constructor(linkId: string, options?: { cause?: unknown }) {
    super(linkId, `link ${linkId} already exists`, options);
  }
}

export type AnyLinkStoreError = StaleWriteError | FencedWriteError | LinkNotFoundError | LinkExistsError;
