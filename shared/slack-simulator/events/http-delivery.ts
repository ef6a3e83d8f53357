import type { SimCore } from '../sim-core';
import type { HttpDeliveryRecord } from '../ground-truth';
import { newDeliveryId } from '../ids';
import type { App } from '../model';
import { signSlackRequest } from './signing';

type RetryReason = 'http_timeout' | 'connection_failed' | 'http_error' | 'too_many_redirects';

interface PostOutcome {
  status?: number;
  text?: string;
  contentType?: string;
  noRetry?: boolean;
  failure?: RetryReason;
}

const MAX_RECORDED_TEXT = 4096;

/** What an app answered, as ground truth keeps it: parsed JSON, else (bounded) text; nothing for an empty body. */
export function recordedAnswer(out: { text?: string; contentType?: string }): unknown {
  const text = out.text ?? '';
  if (text.length === 0) return undefined;
  if ((out.contentType ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return text.slice(0, MAX_RECORDED_TEXT);
}

export interface InteractionPost {
  kind: 'slash_commands' | 'interactive';
  url: string;
  teamId?: string;
  /** The command (`/ping`) or the interaction type (`block_actions`) */
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Events API over HTTP (SLACK-PROTOCOL §4): signed POSTs, retried on Slack's schedule with
 * `x-slack-retry-num` / `x-slack-retry-reason`, stopped by `x-slack-no-retry: 1`. Commands and
 * interactions to a classic app's Request URLs: signed form POSTs, answered within 3 s, never retried.
 */
export class HttpDelivery {
  constructor(private readonly ctx: SimCore) {}

  deliver(app: App, url: string, body: Record<string, unknown>, teamId?: string): string {
    const id = newDeliveryId();
    void this.attempt(id, app, url, JSON.stringify(body), body, teamId, 0, undefined);
    return id;
  }

  /**
   * Commands go as form fields, interactions as `payload=<json>`, both
   * `application/x-www-form-urlencoded`. The response body is the ack (and its answer); Slack
   * shows the user an error on a timeout and does not retry.
   */
  deliverInteraction(app: App, post: InteractionPost): { id: string; answered: Promise<HttpDeliveryRecord> } {
    const id = newDeliveryId();
    return { id, answered: this.postInteraction(id, app, post) };
  }

  private async postInteraction(id: string, app: App, post: InteractionPost): Promise<HttpDeliveryRecord> {
    const form = post.kind === 'slash_commands'
      ? new URLSearchParams(Object.entries(post.payload).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
      : new URLSearchParams({ payload: JSON.stringify(post.payload) });
    const out = await this.post(app, post.url, form.toString(), {}, 'application/x-www-form-urlencoded',
      this.ctx.options.interactivity.httpTimeoutMs);
    const record: HttpDeliveryRecord = {
      at: this.ctx.clock.now(), id, kind: post.kind, appId: app.appId, teamId: post.teamId, url: post.url, type: post.type,
      attempt: 0, status: out.status, error: out.failure, responseBody: recordedAnswer(out),
    };
    this.ctx.truth.record(this.ctx.truth.httpDeliveries, record);
    return record;
  }

  /** Sends `url_verification` and reports whether the endpoint echoed the challenge. */
  async verifyUrl(app: App, url: string): Promise<{ ok: boolean; challenge: string; status?: number }> {
    const challenge = `challenge-${Math.random().toString(36).slice(2)}`;
    const raw = JSON.stringify({ token: app.verificationToken, challenge, type: 'url_verification' });
    const out = await this.post(app, url, raw, {});
    const text = (out.text ?? '').trim();
    let echoed = text === challenge || new URLSearchParams(text).get('challenge') === challenge;
    if (!echoed && text.startsWith('{')) {
      try {
        echoed = (JSON.parse(text) as { challenge?: unknown }).challenge === challenge;
      } catch {
        echoed = false;
      }
    }
    return { ok: out.status === 200 && echoed, challenge, status: out.status };
  }

  private async attempt(id: string, app: App, url: string, raw: string, body: Record<string, unknown>, teamId: string | undefined,
    attempt: number, reason: RetryReason | undefined): Promise<void> {
    const headers: Record<string, string> = reason
      ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason }
      : {};
    const out = await this.post(app, url, raw, headers);
    const event = body.event as { type?: string } | undefined;
    this.ctx.truth.record(this.ctx.truth.httpDeliveries, {
      at: this.ctx.clock.now(), id, kind: 'events_api', appId: app.appId, teamId, url, eventId: body.event_id as string | undefined,
      type: event?.type ?? String(body.type), attempt, status: out.status, error: out.failure, responseBody: recordedAnswer(out),
    });
    if (out.status === 200 || out.noRetry) return;
    const delays = this.ctx.options.httpEvents.retryDelaysMs;
    if (attempt >= delays.length) return;
    this.ctx.scheduler.after(delays[attempt]!, () => {
      void this.attempt(id, app, url, raw, body, teamId, attempt + 1, out.failure ?? 'http_error');
    });
  }

  private async post(app: App, url: string, raw: string, extra: Record<string, string>,
    contentType = 'application/json', timeoutMs = this.ctx.options.httpEvents.timeoutMs): Promise<PostOutcome> {
    const ts = Math.floor(this.ctx.clock.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': contentType,
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signSlackRequest(app.signingSecret, ts, raw),
          ...extra,
        },
        body: raw,
      });
      const text = await res.text();
      if (res.status >= 300 && res.status < 400) return { status: res.status, failure: 'too_many_redirects' };
      return {
        status: res.status, text, contentType: res.headers.get('content-type') ?? undefined,
        noRetry: res.headers.get('x-slack-no-retry') === '1',
        failure: res.status === 200 ? undefined : 'http_error',
      };
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { failure: timeout ? 'http_timeout' : 'connection_failed' };
    }
  }
}
