import { unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Logger } from '../../ports';

/**
 * What dynalite answers for a storage failure: an HTTP 500 with a DynamoDB `InternalServerError`
 * body, which dynalite sends for any error carrying `statusCode` and `body`. The SDK retries it
 * and then throws it like any store failure its callers already handle.
 */
export class StorageRefusedError extends Error {
  readonly code = 'EMBEDDED_STORE_REFUSED';
  readonly statusCode = 500;
  readonly body: { __type: string; message: string };

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.body = { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message };
  }
}

type Operation = 'read' | 'write';
type LevelMethod = (this: GuardedDb, ...args: unknown[]) => Promise<unknown>;
interface GuardedDb {
  location: string;
  status: string;
}
interface LevelClass {
  prototype: Record<string, unknown> & { open(): Promise<void>; close(): Promise<void> };
}

const OPERATIONS: Record<string, Operation> = { get: 'read', getMany: 'read', put: 'write', del: 'write', batch: 'write' };

/**
 * Guards one LevelDB folder under dynalite. dynalite calls LevelDB itself and throws a storage
 * error from a callback (an uncaught exception that took down every part of `npm start` sharing
 * the process); the guard turns each one into a refused request instead. After a failed write
 * (a full disk, a read-only one) LevelDB keeps refusing until reopened, so the guard reopens the
 * folder, with backoff, until a reopen succeeds: the store resumes by itself when space returns.
 * `inject` makes the next reads or writes fail as the disk would, for tests.
 */
export class StorageGuard {
  private db: GuardedDb | undefined;
  private injected: { read?: Error; write?: Error } = {};
  private broken: Error | undefined;
  private reopening: Promise<void> | undefined;
  /** Set while the folder is being closed and reopened: calls wait for it instead of failing. */
  private pausing: Promise<void> | undefined;
  private stopped = false;
  private refusals = 0;
  private attempts = 0;

  constructor(
    readonly location: string,
    private readonly level: LevelClass,
    private readonly log: Logger | undefined,
    private readonly reopenDelaysMs: readonly number[] = [200, 500, 1_000, 2_000, 5_000],
  ) {}

  /** Until cleared, every `operation` fails with `error` (an `ENOSPC`, `EROFS`, `EIO`...). */
  inject(operation: Operation, error: Error | undefined): void {
    if (error) this.injected[operation] = error;
    else delete this.injected[operation];
  }

  /** True while writes are being refused (a storage failure not yet recovered from). */
  get refusing(): boolean {
    return this.broken !== undefined;
  }

  /** Requests refused since start. */
  get refused(): number {
    return this.refusals;
  }

  /** Recovery rounds run since start (each looks at the disk, and reopens when it takes a file). */
  get recoveryAttempts(): number {
    return this.attempts;
  }

  stop(): void {
    this.stopped = true;
  }

  async run(db: GuardedDb, operation: Operation, call: () => Promise<unknown>): Promise<unknown> {
    if (this.db !== db) this.adopt(db);
    if (this.pausing) await this.pausing.catch(() => undefined);
    const injected = this.injected[operation];
    try {
      if (injected) throw injected;
      if (this.broken && operation === 'write') throw this.broken;
      return await call();
    } catch (error) {
      throw this.refuse(operation, error);
    }
  }

  /**
   * dynalite wraps the database in callback methods of its own that can fail before any LevelDB
   * call (`Database is closed` once it has closed it, while a request is still mid-way): those
   * errors are turned into refusals too, at the callback every dynalite action reads.
   */
  private adopt(db: GuardedDb): void {
    this.db = db;
    const methods = db as unknown as Record<string, unknown>;
    for (const [name, operation] of Object.entries(OPERATIONS)) {
      const dynaliteMethod = methods[name];
      if (typeof dynaliteMethod !== 'function' || !Object.hasOwn(methods, name)) continue;
      methods[name] = (...args: unknown[]) => {
        const callback = args.at(-1);
        if (typeof callback === 'function') {
          args[args.length - 1] = (error: unknown, ...rest: unknown[]) => (callback as (...a: unknown[]) => void)(error ? this.refuse(operation, error) : error, ...rest);
        }
        return (dynaliteMethod as (...a: unknown[]) => unknown).apply(db, args);
      };
    }
  }

  private refuse(operation: Operation, error: unknown): StorageRefusedError {
    if (error instanceof StorageRefusedError) return error;
    this.refusals += 1;
    const detail = describe(error);
    const refused = new StorageRefusedError(`embedded store (${this.location}): ${operation} refused: ${detail}`, { cause: error });
    if (operation === 'write' && !this.broken && !this.stopped) {
      this.broken = refused;
      this.log?.error('embedded store: storage refused a write; writes are refused until it recovers (free space, a writable disk)', { path: this.location, cause: detail });
      this.reopening ??= this.recover().finally(() => (this.reopening = undefined));
    }
    return refused;
  }

  /** Reopens the folder until a reopen and a probe write both work. */
  private async recover(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      await sleep(this.reopenDelaysMs[Math.min(attempt, this.reopenDelaysMs.length - 1)]!);
      if (this.stopped || !this.db) return;
      this.attempts += 1;
      if (this.injected.write) continue;
      try {
        const db = this.db;
        // The disk first: while it still takes no file, reopening would only stop the reads.
        const file = join(this.location, '.lifeline-write-probe');
        writeFileSync(file, 'probe');
        unlinkSync(file);
        // The class's own close/open (dynalite replaced the instance's `close` with one that ends
        // it for good); calls wait meanwhile.
        this.pausing = (async () => {
          await this.level.prototype.close.call(db);
          await this.level.prototype.open.call(db);
        })();
        try {
          await this.pausing;
        } finally {
          this.pausing = undefined;
        }
        const probe = '~lifeline-storage-probe';
        await originals.put!.call(db, probe, { at: Date.now() });
        await originals.del!.call(db, probe);
        this.broken = undefined;
        this.log?.info('embedded store: storage writable again; writes resume', { path: this.location, attempts: attempt + 1 });
        return;
      } catch (error) {
        if (attempt === 0 || attempt % 10 === 0) this.log?.warn('embedded store: still cannot write', { path: this.location, cause: describe(error) });
      }
    }
  }
}

const guards = new Map<string, StorageGuard>();
const originals: Record<string, LevelMethod> = {};
let patched: LevelClass | undefined;

/**
 * Registers a guard for the LevelDB folder `path`. The guard sits on the LevelDB class dynalite
 * uses (its prototype, patched once per process, so it holds whatever order modules loaded in);
 * a folder without a guard passes through untouched.
 */
export function guardStorage(path: string, log?: Logger, reopenDelaysMs?: readonly number[]): StorageGuard {
  const level = levelClass();
  const location = resolve(path);
  const guard = new StorageGuard(location, level, log, reopenDelaysMs);
  guards.set(location, guard);
  return guard;
}

export function releaseStorageGuard(guard: StorageGuard): void {
  guard.stop();
  if (guards.get(guard.location) === guard) guards.delete(guard.location);
}

function levelClass(): LevelClass {
  if (patched) return patched;
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { ClassicLevel } = fromDynalite('classic-level') as { ClassicLevel: LevelClass };
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    const original = ClassicLevel.prototype[name] as LevelMethod;
    originals[name] = original;
    ClassicLevel.prototype[name] = function guarded(this: GuardedDb, ...args: unknown[]) {
      const guard = guards.get(resolve(this.location));
      // `batch()` without operations returns a chained batch synchronously: not a storage call yet.
      if (!guard || (name === 'batch' && args.length === 0)) return original.apply(this, args);
      return guard.run(this, operation, () => original.apply(this, args));
    };
  }
  patched = ClassicLevel;
  return ClassicLevel;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${cause}`;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms).unref());
