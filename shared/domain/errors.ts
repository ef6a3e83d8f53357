/**
 * The domain's error family. Callers narrow with `instanceof` or `code`, never by reading `message`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A persisted snapshot written by a machine version this code does not know. */
export class UnknownMachineVersionError extends DomainError {
  readonly code = 'UNKNOWN_MACHINE_VERSION';

  constructor(
    readonly found: unknown,
    readonly supported: number,
  ) {
    super(`snapshot has machine version ${JSON.stringify(found)}; this code understands only version ${supported}`);
  }
}

/** A persisted snapshot that is not shaped like one (corrupt item, wrong attribute). */
export class InvalidSnapshotError extends DomainError {
  readonly code = 'INVALID_SNAPSHOT';
}

/** A link that does not exist yet can only be started with CONNECT. */
export class UnstartedLinkError extends DomainError {
  readonly code = 'UNSTARTED_LINK';

  constructor(readonly eventType: string) {
    super(`a new link starts with CONNECT, not ${eventType}`);
  }
}
