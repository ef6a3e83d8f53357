/** What Bolt's `authorize` asks Lifeline: the installation behind one payload. */
export interface BotAuthorizationQuery {
  appId?: string;
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

/** The installation's current bot credentials, as Bolt's `AuthorizeResult` names them. */
export interface BotAuthorization {
  botToken: string;
  botUserId: string;
  botId?: string;
  teamId: string;
  /** Grows with every new token (reinstall, rotation). */
  tokenVersion: number;
}

/** One installation as a bot may read it (Bolt's `fetchInstallation`): JSON-safe, over IPC. */
export interface BotInstallation {
  appId: string;
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId: string;
  botId?: string;
  scopes: string[];
  tokenVersion: number;
  installedAt: number;
}

/**
 * The bot's tokens, from Lifeline's installations (Bolt's `authorize`, and its
 * `InstallationStore`'s reads and deletes: Lifeline owns installs, so there is no store). Refusals are `BotAuthorizationError`s whose
 * message says why (not installed, parked, org-wide), since Bolt shows it to the developer.
 */
export interface BotAuthorizer {
  authorize(query: BotAuthorizationQuery): Promise<BotAuthorization>;
  fetchInstallation(query: BotAuthorizationQuery): Promise<BotInstallation>;
  /** Parks the installation (and revokes its link), as an uninstall event would. */
  deleteInstallation(query: BotAuthorizationQuery): Promise<{ outcome: string }>;
}

export class BotAuthorizationError extends Error {
  readonly code = 'BOT_AUTHORIZATION_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
