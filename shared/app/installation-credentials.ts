import {
  NoCredentialError,
  SlackApiError,
  StaleInstallationError,
  type Credentials,
  type InstallationKey,
  type InstallationRecord,
  type InstallationStore,
  type LinkCredential,
  type LinkIdentity,
  type Logger,
  type OAuthClient,
  type SlackOAuthApi,
  type TokenCipher,
} from '../ports';
import { botTokenContext, refreshTokenContext, sealTokens } from './installation-secrets';

/** What Lifeline holds per app from its configuration (never from an install). */
export interface AppSecrets {
  /** Socket Mode: the app-level `xapp-` token every pool slot connects with. */
  appToken?: string;
  /** Needed to refresh rotating tokens. */
  client?: OAuthClient;
}

export interface InstallationCredentialsOptions {
  installations: InstallationStore;
  cipher: TokenCipher;
  slack: SlackOAuthApi;
  /** By app id. */
  apps: ReadonlyMap<string, AppSecrets>;
  clock: { now(): number };
  log: Logger;
  /** Refresh a rotating token when less than this remains. Default 2 h, as Slack's SDKs do (SLACK-PROTOCOL §3.3). */
  refreshWindowMs?: number;
}

export const DEFAULT_REFRESH_WINDOW_MS = 2 * 60 * 60_000;

/**
 * Credentials from the installation store: the bot token of an RTM link's installation, opened
 * only here and handed to the worker; a rotating token is renewed first when it is close to
 * expiry, and the rotated refresh token stored (the old one is dead once used). Socket Mode
 * slots get their app's configured app-level token.
 */
export class InstallationCredentials implements Credentials {
  private readonly refreshing = new Map<string, Promise<InstallationRecord>>();
  private readonly windowMs: number;

  constructor(private readonly options: InstallationCredentialsOptions) {
    this.windowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  }

  async forLink(link: LinkIdentity): Promise<LinkCredential> {
    if (link.protocol === 'socket') {
      const token = this.options.apps.get(link.appId)?.appToken;
      // Slack's own answer for a call without a token; the machine revokes on it.
      if (!token) throw new NoCredentialError(link.id, 'missing_args');
      return { token, tokenVersion: 1 };
    }
    if (!link.teamId) throw new NoCredentialError(link.id, 'app_uninstalled');
    const key = { appId: link.appId, installId: link.teamId };
    let record = await this.options.installations.get(key);
    if (!record || !record.active) throw new NoCredentialError(link.id, 'app_uninstalled');
    if (this.dueForRefresh(record)) record = await this.refreshOnce(key, record);
    const token = await this.options.cipher.decrypt(record.tokenCiphertext, botTokenContext(key));
    return { token, tokenVersion: record.tokenVersion };
  }

  private dueForRefresh(record: InstallationRecord): boolean {
    return record.refreshTokenCiphertext !== undefined && record.tokenExpiresAt !== undefined &&
      record.tokenExpiresAt - this.options.clock.now() < this.windowMs;
  }

  /** One refresh per installation at a time in this process: a refresh token works only once. */
  private refreshOnce(key: InstallationKey, record: InstallationRecord): Promise<InstallationRecord> {
    const id = `${key.appId}#${key.installId}`;
    let pending = this.refreshing.get(id);
    if (!pending) {
      pending = this.refresh(key, record).finally(() => this.refreshing.delete(id));
      this.refreshing.set(id, pending);
    }
    return pending;
  }

  private async refresh(key: InstallationKey, record: InstallationRecord): Promise<InstallationRecord> {
    const { installations, cipher, slack, clock, log } = this.options;
    const client = this.options.apps.get(key.appId)?.client;
    if (!client) {
      log.warn('rotating token near expiry but no client credentials to refresh it', { appId: key.appId, installId: key.installId });
      return record;
    }
    const refreshToken = await cipher.decrypt(record.refreshTokenCiphertext as string, refreshTokenContext(key));
    let access;
    try {
      access = await slack.oauthV2Access(client, { grantType: 'refresh_token', refreshToken });
    } catch (error) {
      // Another process may have refreshed first (its success made our refresh token stale).
      const latest = await installations.get(key);
      if (latest && latest.active && latest.tokenVersion > record.tokenVersion) return latest;
      const stillValid = (record.tokenExpiresAt ?? 0) > clock.now();
      const code = error instanceof SlackApiError ? error.error : 'refresh_failed';
      if (code === 'invalid_refresh_token' || !stillValid) throw error;
      log.warn('token refresh failed; using the current token while it lasts', { appId: key.appId, installId: key.installId, error: code });
      return record;
    }
    const now = clock.now();
    const sealed = await sealTokens(cipher, key, { ...access, refreshToken: access.refreshToken ?? refreshToken }, now);
    const next: InstallationRecord = {
      ...record,
      ...sealed,
      ...(access.scopes.length > 0 ? { scopes: access.scopes } : {}),
      tokenVersion: record.tokenVersion + 1,
      updatedAt: now,
    };
    try {
      await installations.save(next, record.tokenVersion);
    } catch (error) {
      // A reinstall landed meanwhile: its token is the installation's now.
      if (!(error instanceof StaleInstallationError)) throw error;
      const latest = await installations.get(key);
      if (latest?.active) return latest;
      throw new NoCredentialError(`rtm:${key.appId}:${key.installId}`, 'app_uninstalled');
    }
    log.info('rotating token refreshed', { appId: key.appId, installId: key.installId, tokenVersion: next.tokenVersion });
    return next;
  }
}
