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
