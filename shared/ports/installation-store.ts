/**
 * One workspace (or, for an org-wide install, one enterprise) that installed an app. Tokens are
 * sealed by a `TokenCipher` before they get here: the store never sees plaintext.
 */
export interface InstallationRecord {
  appId: string;
  /** The key: the team id, or the enterprise id of an org-wide install. */
  installId: string;
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall: boolean;
  botUserId: string;
  scopes: string[];
  /** The sealed bot token. */
  tokenCiphertext: string;
  /** Grows by one with every new token (reinstall or rotation); writes are conditional on it. */
  tokenVersion: number;
  /** Rotating tokens only: the sealed refresh token and when the access token expires (ms). */
  refreshTokenCiphertext?: string;
  tokenExpiresAt?: number;
  /**
   * When the current OAuth grant (install or reinstall) was made (ms); a rotation keeps it. An
   * uninstall event older than this (a late Slack retry) belongs to the previous install.
   */
  grantedAt: number;
  active: boolean;
  /** Why it was parked (`app_uninstalled`, `tokens_revoked`), while inactive. */
  parkedReason?: string;
  parkedAt?: number;
  installedAt: number;
  updatedAt: number;
}

export interface InstallationKey {
  appId: string;
  installId: string;
}

export interface ParkInstallation extends InstallationKey {
  reason: string;
  now: number;
  /**
   * The time of the event that asks for it (ms). A grant made after this (by more than a second:
   * Slack's event time has second granularity) belongs to a newer install: not parked.
   */
  eventTime?: number;
}

export type ParkOutcome = 'parked' | 'already_parked' | 'newer_install' | 'not_found';

/**
 * Installations. Writes are conditional; failures are `InstallationStoreError`s:
 * - `save` with `expectedTokenVersion: undefined`: `InstallationExistsError`.
 * - `save` with a version: `StaleInstallationError` (moved on, or gone).
 */
export interface InstallationStore {
  /** Strongly consistent. */
  get(key: InstallationKey): Promise<InstallationRecord | undefined>;
  /** Writes the whole record if the stored token version is still `expectedTokenVersion` (absent: must not exist). */
  save(record: InstallationRecord, expectedTokenVersion: number | undefined): Promise<InstallationRecord>;
  /** Marks it inactive; idempotent. */
  park(request: ParkInstallation): Promise<{ outcome: ParkOutcome; record?: InstallationRecord }>;
}

export type InstallationStoreErrorCode = 'INSTALLATION_EXISTS' | 'STALE_INSTALLATION';

export abstract class InstallationStoreError extends Error {
  abstract readonly code: InstallationStoreErrorCode;

  constructor(readonly key: InstallationKey, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A concurrent first install won: reload and treat it as a reinstall. */
export class InstallationExistsError extends InstallationStoreError {
  readonly code = 'INSTALLATION_EXISTS';
  constructor(key: InstallationKey, options?: { cause?: unknown }) {
    super(key, `installation ${key.appId}/${key.installId} already exists`, options);
  }
}

/** Another writer stored a newer token since it was read. */
export class StaleInstallationError extends InstallationStoreError {
  readonly code = 'STALE_INSTALLATION';
  constructor(key: InstallationKey, readonly expectedTokenVersion: number, options?: { cause?: unknown }) {
    super(key, `installation ${key.appId}/${key.installId}: token version ${expectedTokenVersion} is no longer current`, options);
  }
}
