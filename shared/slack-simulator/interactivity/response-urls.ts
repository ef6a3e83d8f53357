import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

export type ResponseUrlKind = 'commands' | 'actions';

export interface ResponseUrlRecord {
  kind: ResponseUrlKind;
  appId: string;
  teamId: string;
  channelId?: string;
  issuedAt: number;
  uses: number;
}

export type ResponseUrlUse =
  | { ok: true; record: ResponseUrlRecord }
  | { ok: false; error: 'no_service' | 'expired_url' | 'used_url'; record?: ResponseUrlRecord };

export interface ResponseUrlLimits {
  uses: number;
  ttlMs: number;
}

const FORGET_AFTER_MS = 2 * 3_600_000;
const SWEEP_ABOVE = 10_000;

/**
 * `response_url`s carried by commands and interactions, served by the simulator at
 * `/commands/<team>/<id>/<secret>` and `/actions/<team>/<id>/<secret>` (Slack's hooks paths).
 * Slack documents up to 5 uses within 30 minutes.
 */
export class ResponseUrlStore {
  private readonly urls = new Map<string, ResponseUrlRecord>();
  private serial = 0;

  constructor(private readonly clock: Clock, private readonly limits: () => ResponseUrlLimits) {}

  issue(baseUrl: string, kind: ResponseUrlKind, appId: string, teamId: string, channelId?: string): string {
    if (this.urls.size > SWEEP_ABOVE) this.sweep();
    this.serial += 1;
    const path = `/${kind}/${teamId}/${Date.now()}${this.serial}/${randomBytes(12).toString('base64url')}`;
    this.urls.set(path, { kind, appId, teamId, channelId, issuedAt: this.clock.now(), uses: 0 });
    return `${baseUrl}${path}`;
  }

  /** The URL at `path`, without using it. */
  find(path: string): ResponseUrlRecord | undefined {
    return this.urls.get(path);
  }

  /** Counts one post against the URL at `path`, or says why it cannot take one. */
  use(path: string): ResponseUrlUse {
    const record = this.urls.get(path);
    if (!record) return { ok: false, error: 'no_service' };
    const { uses, ttlMs } = this.limits();
    if (this.clock.now() - record.issuedAt > ttlMs) return { ok: false, error: 'expired_url', record };
    if (record.uses >= uses) return { ok: false, error: 'used_url', record };
    record.uses += 1;
    return { ok: true, record };
  }

  private sweep(): void {
    const cutoff = this.clock.now() - Math.max(FORGET_AFTER_MS, this.limits().ttlMs);
    for (const [path, r] of this.urls) if (r.issuedAt < cutoff) this.urls.delete(path);
  }
}

export const isResponseUrlPath = (pathname: string): boolean => /^\/(commands|actions)\/[^/]+\/[^/]+\/[^/]+$/.test(pathname);
