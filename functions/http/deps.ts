import type { CompleteInstallDeps, ParkInstallationDeps } from '../../shared/app';
import type { LinkProtocol } from '../../shared/domain';
import type { EventDedupe, Sink, SlackApi, SlackOAuthApi } from '../../shared/ports';

/** One Slack app's OAuth and Events settings. Secrets: never logged, never rendered. */
export interface SlackAppConfig {
  appId: string;
  /** RTM: one link per installation. Socket Mode: the app's pool, untouched by installs. */
  protocol: LinkProtocol;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** Bot scopes asked for at install (`bot` for a classic RTM app). */
  scopes: string[];
  userScopes: string[];
  /** `https://slack.com/oauth/v2/authorize`, or the simulator's. */
  authorizeUrl: string;
  /** This deployment's public `/slack/oauth_redirect` URL, exactly as registered with Slack. */
  redirectUri: string;
  /** Signs OAuth `state` values; at least 32 random bytes, distinct from every Slack secret. */
  stateSecret: string;
}

export interface HttpDeps extends CompleteInstallDeps, ParkInstallationDeps {
  config: SlackAppConfig;
  oauth: SlackOAuthApi;
  /**
   * Claims Slack event ids (retries), OAuth state ids (single use) and the events handed to the
   * bot (under the key their RTM copy gets, `shared/app/payload-key.ts`), each for 10 minutes.
   * The workers' store: a message claimed over RTM is not delivered again over HTTP.
   */
  dedupe: EventDedupe;
  /**
   * Where verified HTTP deliveries go (events, commands, interactions): the same sink the workers
   * use (the embedded bot or handler; EventBridge on AWS). Its answer to a command or an
   * interaction is the HTTP response. Absent: events are only acted on (parking), and commands
   * and interactions are answered 503 (nothing can answer them).
   */
  sink?: Sink;
  /** How long a delivery waits for the bot's answer. Default `BOT_ANSWER_WITHIN_MS` (2.5 s, under Slack's 3 s). */
  botAnswerWithinMs?: number;
  /**
   * For an RTM app: the install's token is tried with `rtm.connect` before anything is stored, so
   * a token that can never open the socket (a granular token: `not_allowed_token_type`; no `bot`
   * scope: `missing_scope`) is refused on the spot with Slack's reason. Without it, no check.
   */
  rtm?: Pick<SlackApi, 'rtmConnect'>;
  /**
   * Where the process outlives its answers (embedded), lifecycle work gets this long before the
   * answer: done in time, it answers 200, or 500 on failure so that Slack retries; slower, the
   * answer is 200 within Slack's 3 s and the work goes on (a late failure is logged, and the
   * next connect's `invalid_auth` is the backstop). Absent (Lambda, frozen once it answers), the
   * work always runs before the answer; it is a few bounded writes.
   */
  answerWithinMs?: number;
}
