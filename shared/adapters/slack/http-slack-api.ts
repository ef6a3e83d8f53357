import { SlackApiError, type OAuthAccess, type OAuthClient, type OAuthGrant, type SlackApi, type SlackOAuthApi } from '../../ports/slack-api';
import { callSlack, callSlackWith, type SlackHttpOptions } from './slack-http';
import { fetchPost, nodeHttpPost } from './slack-post';

export interface HttpSlackApiOptions {
  /** Web API base, ending with `/api/`: `https://slack.com/api/` or the simulator's `apiUrl`. */
  apiUrl: string;
  /** Calls go through this `fetch` instead (tests that watch or stage calls). Default: `node:http(s)` with keep-alive (`slack-post.ts`). */
  fetch?: typeof fetch;
  /** Per call, covering connect, headers and body. Default 10,000. */
  timeoutMs?: number;
}

export const DEFAULT_SLACK_API_TIMEOUT_MS = 10_000;

/** The real `SlackApi`: four Web API methods over HTTP. Holds no token and logs nothing. */
export class HttpSlackApi implements SlackApi, SlackOAuthApi {
  private readonly http: SlackHttpOptions;

  constructor(options: HttpSlackApiOptions) {
    const apiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.http = {
      apiUrl,
      post: options.fetch ? fetchPost(options.fetch) : nodeHttpPost(),
      timeoutMs: options.timeoutMs ?? DEFAULT_SLACK_API_TIMEOUT_MS,
    };
  }

  async rtmConnect(botToken: string): Promise<{ url: string; teamId: string; selfId: string }> {
    const method = 'rtm.connect';
    const body = await callSlack(this.http, method, botToken);
    const url = str(body.url);
    const teamId = str(field(body.team, 'id'));
    const selfId = str(field(body.self, 'id'));
    if (!url || !teamId || !selfId) throw invalid(method);
    return { url, teamId, selfId };
  }

  async openSocketModeConnection(appToken: string): Promise<{ url: string }> {
    const method = 'apps.connections.open';
    const url = str((await callSlack(this.http, method, appToken)).url);
    if (!url) throw invalid(method);
    return { url };
  }

  async authTest(token: string): Promise<{ teamId: string; userId: string; botId?: string; appId?: string; enterpriseId?: string }> {
    const method = 'auth.test';
    const body = await callSlack(this.http, method, token);
    // An org-wide install answers with the enterprise id as `team_id` (and no team).
    const teamId = str(body.team_id);
    const userId = str(body.user_id);
    if (!teamId || !userId) throw invalid(method);
    return dropUndefined({
      teamId, userId, botId: str(body.bot_id), appId: str(body.app_id), enterpriseId: str(body.enterprise_id),
    });
  }

  async oauthV2Access(client: OAuthClient, grant: OAuthGrant): Promise<OAuthAccess> {
    const method = 'oauth.v2.access';
    const form = new URLSearchParams({ grant_type: grant.grantType });
    if (grant.grantType === 'authorization_code') {
      form.set('code', grant.code);
      if (grant.redirectUri !== undefined) form.set('redirect_uri', grant.redirectUri);
    } else {
      form.set('refresh_token', grant.refreshToken);
    }
    // HTTP Basic is Slack's preferred client authentication (SLACK-PROTOCOL §3.2): the secret
    // stays out of the body, where request logs and error reports tend to look.
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    return parseOAuthAccess(method, await callSlackWith(this.http, method, `Basic ${basic}`, form));
  }
}

function parseOAuthAccess(method: string, body: Record<string, unknown>): OAuthAccess {
  const appId = str(body.app_id);
  const accessToken = str(body.access_token);
  if (!appId || !accessToken) throw invalid(method);
  const teamId = str(field(body.team, 'id'));
  const enterpriseId = str(field(body.enterprise, 'id'));
  const expiresIn = body.expires_in;
  return dropUndefined({
    appId,
    accessToken,
    tokenType: str(body.token_type) ?? 'bot',
    scopes: (str(body.scope) ?? '').split(',').filter(Boolean),
    botUserId: str(body.bot_user_id),
    team: teamId ? dropUndefined({ id: teamId, name: str(field(body.team, 'name')) }) : undefined,
    enterprise: enterpriseId ? dropUndefined({ id: enterpriseId, name: str(field(body.enterprise, 'name')) }) : undefined,
    isEnterpriseInstall: body.is_enterprise_install === true,
    refreshToken: str(body.refresh_token),
    expiresInS: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : undefined,
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

function invalid(method: string): SlackApiError {
  return new SlackApiError(method, 'invalid_response', { httpStatus: 200 });
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
