import type { PayloadDelivery } from '../../shared/slack-simulator';

/**
 * The simulator inside `npm start`'s process, driven over its admin routes (`/_sim/*`): the
 * bench reaches it only as a test does, and reads every time from its ground truth.
 */
export class SimAdmin {
  constructor(readonly url: string) {}

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async post<T>(action: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_sim/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { ok: boolean; result?: T; error?: string };
    if (!res.ok || !answer.ok) throw new Error(`simulator ${action}: ${res.status} ${answer.error ?? ''}`);
    return answer.result as T;
  }

  /** Every payload of an app, with the simulator's produced and acked times. */
  async deliveries(appId: string): Promise<PayloadDelivery[]> {
    const res = await fetch(`${this.url}/_sim/truth?key=${encodeURIComponent(appId)}`);
    if (!res.ok) throw new Error(`simulator truth: ${res.status}`);
    return ((await res.json()) as { deliveries: PayloadDelivery[] }).deliveries;
  }

  async openNow(key: string): Promise<number> {
    const res = await fetch(`${this.url}/_sim/truth?key=${encodeURIComponent(key)}`);
    return ((await res.json()) as { openNow: number }).openNow;
  }
}
