import { SlackApiError, type SlackApi } from '../../ports/slack-api';
import { callSlack, type SlackHttpOptions } from './slack-http';

export interface HttpSlackApiOptions {
  /** Web API base, ending with `/api/`: `https://slack.com/api/` or the simulator's `apiUrl`. */
  apiUrl: string;
  /** Default: Node's global `fetch`. */
  fetch?: typeof fetch;
  /** Per call, covering connect, headers and body. Default 10,000. */
  timeoutMs?: number;
}

export const DEFAULT_SLACK_API_TIMEOUT_MS = 10_000;

/** The real `SlackApi`: three Web API methods over HTTP. Holds no token and logs nothing. */
export class HttpSlackApi implements SlackApi {
  private readonly http: SlackHttpOptions;

  constructor(options: HttpSlackApiOptions) {
    const apiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.http = {
      apiUrl,
      fetch: options.fetch ?? globalThis.fetch,
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
