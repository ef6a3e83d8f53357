/** Token lifecycle as a Web API caller observes it (SLACK-PROTOCOL §8 "per-token states"). */
export type TokenStatus = 'active' | 'inactive' | 'revoked' | 'unknown' | 'expired';
export type TokenKind = 'bot' | 'user' | 'app';

/** The error each non-active status produces on every authenticated method. */
export const STATUS_ERROR: Record<Exclude<TokenStatus, 'active'>, string> = {
  inactive: 'account_inactive',
  revoked: 'token_revoked',
  unknown: 'invalid_auth',
  expired: 'token_expired',
};

export interface TokenRecord {
  readonly token: string;
  readonly kind: TokenKind;
  status: TokenStatus;
  readonly appId: string;
  readonly teamId?: string;
  readonly enterpriseId?: string;
  /** Bot user id for bot tokens, the authorizing user for user tokens. */
  readonly userId?: string;
  /** Classic-app and legacy tokens are the only ones RTM accepts. */
  readonly classic: boolean;
  readonly scopes: readonly string[];
  /** Rotating tokens expire (clock ms); expiry turns into `token_expired`. */
  readonly expiresAt?: number;
  /**
   * 1 for the first token minted for this install (and user), +1 for each token that replaced it
   * (refresh grant, re-install after a dead token). Ground truth reports it instead of the token.
   */
  readonly generation: number;
}

export interface Workspace {
  readonly teamId: string;
  teamName: string;
  readonly domain: string;
  readonly enterpriseId?: string;
  readonly enterpriseName?: string;
  /** Every workspace has a `#general` a bot can post to. */
  readonly generalChannelId: string;
}

export interface App {
  readonly appId: string;
  readonly name: string;
  readonly appToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly signingSecret: string;
  /** Legacy verification token carried in event bodies. */
  readonly verificationToken: string;
  readonly classic: boolean;
  /** Socket Mode switched on in the app settings; switching it off sends `link_disabled`. */
  socketMode: boolean;
  /** Request URL for HTTP Events API delivery, if any. */
  eventsUrl?: string;
  /** Slash-command Request URL (classic apps without Socket Mode get commands here over HTTP). */
  commandsUrl?: string;
  /** Interactivity Request URL (block actions, shortcuts, view submissions over HTTP). */
  interactivityUrl?: string;
  readonly tokenRotation: boolean;
  readonly botScopes: readonly string[];
}

export interface Installation {
  readonly appId: string;
  /** Team id, or the enterprise id for an org-wide install. */
  readonly installKey: string;
  readonly teamId?: string;
  readonly enterpriseId?: string;
  readonly isEnterpriseInstall: boolean;
  botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  /** user id → user token */
  readonly userTokens: Map<string, string>;
  refreshToken?: string;
  installed: boolean;
}
