/**
 * The Slack Web API calls a link needs. The real adapter speaks HTTP to `slackApiUrl`
 * (slack.com or the bundled simulator); failures come back as `SlackApiError`s whose `error` is
 * Slack's own string, ready for `classifySlackError`.
 */
export interface SlackApi {
  /** `rtm.connect` with a classic bot token: a single-use URL valid for 30 s. */
  rtmConnect(botToken: string): Promise<{ url: string; teamId: string; selfId: string }>;
  /** `apps.connections.open` with an app-level token (header only): a fresh Socket Mode URL. */
  openSocketModeConnection(appToken: string): Promise<{ url: string }>;
  /** `auth.test`: who this token is, or why it is not. */
  authTest(token: string): Promise<{ teamId: string; userId: string; botId?: string; appId?: string; enterpriseId?: string }>;
}

/**
 * The OAuth side of the Web API, apart from `SlackApi` so that what a worker holds cannot
 * exchange codes, and so test doubles of the link calls need not grow. `HttpSlackApi` is both.
 */
export interface SlackOAuthApi {
  /**
   * `oauth.v2.access` with the app's client credentials (HTTP Basic): exchange an OAuth `code`,
   * or renew a rotating token with its refresh token. Only the bot side of the answer is kept.
   */
  oauthV2Access(client: OAuthClient, grant: OAuthGrant): Promise<OAuthAccess>;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export type OAuthGrant =
  | { grantType: 'authorization_code'; code: string; redirectUri?: string }
  | { grantType: 'refresh_token'; refreshToken: string };

/** The bot side of an `oauth.v2.access` answer (SLACK-PROTOCOL §3.2–3.3). Tokens: never logged. */
export interface OAuthAccess {
  appId: string;
  accessToken: string;
  tokenType: string;
  scopes: string[];
  botUserId?: string;
  /** Absent for an org-wide install. */
  team?: { id: string; name?: string };
  enterprise?: { id: string; name?: string };
  isEnterpriseInstall: boolean;
  /** Rotating tokens: the next refresh token and the access token's lifetime in seconds. */
  refreshToken?: string;
  expiresInS?: number;
}

/**
 * A Slack Web API failure. `error` is Slack's string (`invalid_auth`, `ratelimited`, ...), or
 * `http_<status>` for an unexpected status, or a network error code (`ECONNREFUSED`, ...).
 */
export class SlackApiError extends Error {
  readonly code = 'SLACK_API_ERROR';

  constructor(
    readonly method: string,
    readonly error: string,
    readonly details: { retryAfterMs?: number; httpStatus?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(`${method}: ${error}`, options);
    this.name = new.target.name;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}
