import type { SimCore } from '../sim-core';
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

/**
 * Events API over HTTP (SLACK-PROTOCOL §4): signed POSTs, retried on Slack's schedule with
 * `x-slack-retry-num` / `x-slack-retry-reason`, stopped by `x-slack-no-retry: 1`.
 */
export class HttpDelivery {
  constructor(private readonly ctx: SimCore) {}

  deliver(app: App, url: string, body: Record<string, unknown>): void {
    void this.attempt(app, url, JSON.stringify(body), body, 0, undefined);
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

  private async attempt(app: App, url: string, raw: string, body: Record<string, unknown>, attempt: number,
    reason: RetryReason | undefined): Promise<void> {
    const headers: Record<string, string> = reason
      ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason }
      : {};
    const out = await this.post(app, url, raw, headers);
    const event = body.event as { type?: string } | undefined;
    this.ctx.truth.record(this.ctx.truth.httpDeliveries, {
      at: this.ctx.clock.now(), appId: app.appId, url, eventId: body.event_id as string | undefined,
      type: event?.type ?? String(body.type), attempt, status: out.status, error: out.failure,
    });
    if (out.status === 200 || out.noRetry) return;
    const delays = this.ctx.options.httpEvents.retryDelaysMs;
    if (attempt >= delays.length) return;
    this.ctx.scheduler.after(delays[attempt]!, () => {
      void this.attempt(app, url, raw, body, attempt + 1, out.failure ?? 'http_error');
    });
  }

  private async post(app: App, url: string, raw: string, extra: Record<string, string>): Promise<PostOutcome> {
    const ts = Math.floor(this.ctx.clock.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.ctx.options.httpEvents.timeoutMs),
        headers: {
          'content-type': 'application/json',
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
