import { expect, it } from 'vitest';
import type { DedupeClaim, EventDedupe, EventDedupeTimings } from '../../shared/ports';

/** A fresh, empty dedupe with these timings (the adapter's defaults when omitted). */
export type DedupeFactory = (timings?: Partial<EventDedupeTimings>) => Promise<EventDedupe>;

const t0 = 1_700_000_000_000;
const timings = { inProgressMs: 3_000, completedMs: 60_000 };

const holderOf = (claim: DedupeClaim): string => {
  if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
  return claim.holder;
};

/**
 * The EventDedupe contract: a claim is in progress for a few seconds, completed for long with its
 * answer, and only its holder completes or releases it.
 */
export const eventDedupeContract = (makeDedupe: DedupeFactory): void => {
  it('lets the first claim through and shows the next one a live in-progress claim until it expires', async () => {
    const dedupe = await makeDedupe(timings);
    const first = await dedupe.claim('Ev1', t0);
    expect(first.state).toBe('claimed');
    expect(await dedupe.claim('Ev1', t0 + 2_999)).toEqual({ state: 'in-progress', holder: holderOf(first), until: t0 + 3_000 });
  });

  it('hands an in-progress claim whose holder died (expired) to the next claimant, and the late holder can no longer complete it', async () => {
    const dedupe = await makeDedupe(timings);
    const dead = holderOf(await dedupe.claim('Ev1', t0));
    const next = await dedupe.claim('Ev1', t0 + 3_000);
    expect(next.state).toBe('claimed');
    expect(holderOf(next)).not.toBe(dead);
    expect(await dedupe.complete('Ev1', dead, t0 + 3_001, { text: 'late' })).toBe(false);
    expect(await dedupe.complete('Ev1', holderOf(next), t0 + 3_002, { text: 'mine' })).toBe(true);
    expect(await dedupe.claim('Ev1', t0 + 3_003)).toEqual({ state: 'completed', answer: { text: 'mine' } });
  });

  it('keeps a completed claim with its answer for completedMs, then lets the payload through again', async () => {
    const dedupe = await makeDedupe(timings);
    const holder = holderOf(await dedupe.claim('Ev1', t0));
    const answer = { response_type: 'in_channel', text: '', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'pong' } }] };
    expect(await dedupe.complete('Ev1', holder, t0 + 500, answer)).toBe(true);
    expect(await dedupe.claim('Ev1', t0 + 60_499)).toEqual({ state: 'completed', answer });
    expect((await dedupe.claim('Ev1', t0 + 60_500)).state).toBe('claimed');
  });

  it('holds a completed claim for 10 minutes by default, past both of Slack retries', async () => {
    const dedupe = await makeDedupe();
    const holder = holderOf(await dedupe.claim('Ev1', t0));
    await dedupe.complete('Ev1', holder, t0);
    expect(await dedupe.claim('Ev1', t0 + 60_000)).toEqual({ state: 'completed' });
    expect(await dedupe.claim('Ev1', t0 + 5 * 60_000)).toEqual({ state: 'completed' });
    expect((await dedupe.claim('Ev1', t0 + 10 * 60_000 - 1)).state).toBe('completed');
    expect((await dedupe.claim('Ev1', t0 + 10 * 60_000)).state).toBe('claimed');
  });

  it('holds an in-progress claim for 3 s by default, inside Slack ack window', async () => {
    const dedupe = await makeDedupe();
    await dedupe.claim('Ev1', t0);
    expect((await dedupe.claim('Ev1', t0 + 2_999)).state).toBe('in-progress');
    expect((await dedupe.claim('Ev1', t0 + 3_000)).state).toBe('claimed');
  });

  it('forgets a released claim, so the redelivery goes through; a stranger cannot release it', async () => {
    const dedupe = await makeDedupe(timings);
    const holder = holderOf(await dedupe.claim('Ev1', t0));
    await dedupe.release('Ev1', 'someone-else');
    expect((await dedupe.claim('Ev1', t0 + 1)).state).toBe('in-progress');
    await dedupe.release('Ev1', holder);
    expect((await dedupe.claim('Ev1', t0 + 2)).state).toBe('claimed');
    expect((await dedupe.claim('Ev1', t0 + 3)).state).toBe('in-progress');
  });

  it('never releases a completed claim: the answer outlives a late release', async () => {
    const dedupe = await makeDedupe(timings);
    const holder = holderOf(await dedupe.claim('Ev1', t0));
    await dedupe.complete('Ev1', holder, t0 + 1, 'ok');
    await dedupe.release('Ev1', holder);
    expect(await dedupe.claim('Ev1', t0 + 2)).toEqual({ state: 'completed', answer: 'ok' });
  });

  it('releases or completes an unknown key without complaint', async () => {
    const dedupe = await makeDedupe(timings);
    await expect(dedupe.release('never-claimed', 'h')).resolves.toBeUndefined();
    expect(await dedupe.complete('never-claimed', 'h', t0)).toBe(false);
    await expect(dedupe.forget('never-claimed')).resolves.toBeUndefined();
  });

  it('keeps payloads apart', async () => {
    const dedupe = await makeDedupe(timings);
    const one = holderOf(await dedupe.claim('Ev1', t0));
    expect((await dedupe.claim('Ev2', t0)).state).toBe('claimed');
    await dedupe.release('Ev1', one);
    expect((await dedupe.claim('Ev2', t0 + 1)).state).toBe('in-progress');
  });

  it('lets exactly one of many concurrent claims of one payload through', async () => {
    const dedupe = await makeDedupe(timings);
    const results = await Promise.all(Array.from({ length: 12 }, () => dedupe.claim('Ev1', t0)));
    expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.state === 'in-progress')).toHaveLength(11);
  });

  it('lets exactly one of many concurrent claims of an expired in-progress claim take it over', async () => {
    const dedupe = await makeDedupe(timings);
    await dedupe.claim('Ev1', t0);
    const results = await Promise.all(Array.from({ length: 8 }, () => dedupe.claim('Ev1', t0 + 3_000)));
    expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
  });

  it('records a one-shot marker as completed at once, held for completedMs, and forgets it on demand', async () => {
    const dedupe = await makeDedupe(timings);
    expect(await dedupe.claimOnce('oauth-state:s1', t0)).toBe(true);
    expect(await dedupe.claimOnce('oauth-state:s1', t0 + 59_999)).toBe(false);
    expect((await dedupe.claim('oauth-state:s1', t0 + 59_999)).state).toBe('completed');
    await dedupe.forget('oauth-state:s1');
    expect(await dedupe.claimOnce('oauth-state:s1', t0 + 2)).toBe(true);
    expect(await dedupe.claimOnce('oauth-state:s1', t0 + 60_002)).toBe(true);
  });
};
