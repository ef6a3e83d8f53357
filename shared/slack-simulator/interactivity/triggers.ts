import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

export type TriggerOutcome = 'ok' | 'invalid_trigger_id' | 'exchanged_trigger_id' | 'expired_trigger_id';

interface Trigger {
  appId: string;
  teamId: string;
  issuedAt: number;
  used: boolean;
}

/** Kept past their expiry so a late or repeated exchange gets the precise error, then forgotten. */
const FORGET_AFTER_MS = 10 * 60_000;
const SWEEP_ABOVE = 10_000;

/**
 * `trigger_id`s handed out with commands and interactions. `views.open` exchanges one: Slack's are
 * valid for 3 s and single-use (views.open errors `expired_trigger_id`, `exchanged_trigger_id`,
 * `invalid_trigger_id`). A trigger belongs to the app and workspace it was issued to.
 */
export class TriggerStore {
  private readonly triggers = new Map<string, Trigger>();
  private serial = 0;

  constructor(private readonly clock: Clock, private readonly ttlMs: () => number) {}

  /** Slack's shape: `12345.98765.abcd2358fdea`. */
  issue(appId: string, teamId: string): string {
    if (this.triggers.size > SWEEP_ABOVE) this.sweep();
    this.serial += 1;
    const now = this.clock.now();
    const id = `${Math.floor(now / 1000)}${this.serial}.${randomBytes(5).readUInt32BE(0)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { appId, teamId, issuedAt: now, used: false });
    return id;
  }

  /** Spends the trigger for this app and team; any other caller learns nothing about it. */
  exchange(id: string | undefined, appId: string, teamId: string | undefined): TriggerOutcome {
    const t = id ? this.triggers.get(id) : undefined;
    if (!t || t.appId !== appId || t.teamId !== teamId) return 'invalid_trigger_id';
    if (t.used) return 'exchanged_trigger_id';
    if (this.clock.now() - t.issuedAt > this.ttlMs()) return 'expired_trigger_id';
    t.used = true;
    return 'ok';
  }

  private sweep(): void {
    const cutoff = this.clock.now() - Math.max(FORGET_AFTER_MS, this.ttlMs());
    for (const [id, t] of this.triggers) if (t.issuedAt < cutoff) this.triggers.delete(id);
  }
}
