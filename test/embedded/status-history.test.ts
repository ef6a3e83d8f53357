import { describe, expect, it } from 'vitest';
import { HISTORY_BUCKET_MS, StatusHistory } from '../../functions/embedded/status/history';
import type { Counts, Transition } from '../../functions/embedded/status/link-board';

const T0 = 1_800_000_000_000 - (1_800_000_000_000 % HISTORY_BUCKET_MS);
const counts = (open: number, backoff = 0): Counts => ({ connecting: 0, open, backoff, inactive: 0, revoked: 0 });
const move = (at: number, from: Transition['from'], to: Transition['to']): Transition => ({ at, linkId: 'rtm:A1:T1', from, to });

describe('the status page history (a minute a bucket, the last hour)', () => {
  it('counts a reconnect when an open link loses its socket, and nothing else', () => {
    const history = new StatusHistory();
    history.sample(T0, counts(3), 0);
    history.transition(move(T0 + 1_000, 'open', 'backoff'));
    history.transition(move(T0 + 2_000, 'open', 'connecting'));
    history.transition(move(T0 + 3_000, 'backoff', 'connecting'));
    history.transition(move(T0 + 4_000, 'connecting', 'open'));
    history.transition(move(T0 + 5_000, 'open', 'inactive'));
    history.transition(move(T0 + 6_000, null, 'open'));
    expect(history.latest()?.reconnects).toBe(2);
  });

  it('events per minute from the delivered counter, links by state as last sampled', () => {
    const history = new StatusHistory();
    history.sample(T0 + 1_000, counts(3), 100);
    history.sample(T0 + 30_000, counts(2, 1), 130);
    history.sample(T0 + HISTORY_BUCKET_MS + 5_000, counts(3), 135);
    const { buckets } = history.toJSON();
    expect(buckets).toEqual([
      { at: T0, links: counts(2, 1), reconnects: 0, events: 30 },
      { at: T0 + HISTORY_BUCKET_MS, links: counts(3), reconnects: 0, events: 5 },
    ]);
  });

  it('keeps 60 finished minutes and the current one, however long it runs', () => {
    const history = new StatusHistory();
    for (let minute = 0; minute < 200; minute++) {
      history.sample(T0 + minute * HISTORY_BUCKET_MS, counts(minute), minute * 10);
      history.transition(move(T0 + minute * HISTORY_BUCKET_MS + 1, 'open', 'backoff'));
    }
    const { bucketMs, buckets } = history.toJSON();
    expect(bucketMs).toBe(60_000);
    expect(buckets).toHaveLength(61);
    expect(buckets[0]?.at).toBe(T0 + 139 * HISTORY_BUCKET_MS);
    expect(buckets[60]).toEqual({ at: T0 + 199 * HISTORY_BUCKET_MS, links: counts(199), reconnects: 1, events: 10 });
  });

  it('a transition stamped in a minute already closed goes to that minute', () => {
    const history = new StatusHistory();
    history.sample(T0, counts(1), 0);
    history.sample(T0 + HISTORY_BUCKET_MS, counts(1), 0);
    history.transition(move(T0 + 59_000, 'open', 'backoff'));
    expect(history.toJSON().buckets.map((b) => b.reconnects)).toEqual([1, 0]);
  });

  it('hands the live feed every minute that changed, also one that closed before its reconnect was sent', () => {
    const history = new StatusHistory();
    history.sample(T0 + 59_500, counts(3), 0);
    expect(history.takeChanged()).toEqual([{ at: T0, links: counts(3), reconnects: 0, events: 0 }]);
    // A drop in the minute's last half second, after its last sample; the next sample is in the next minute.
    history.transition(move(T0 + 59_800, 'open', 'backoff'));
    history.sample(T0 + HISTORY_BUCKET_MS + 300, counts(2, 1), 0);
    expect(history.takeChanged()).toEqual([
      { at: T0, links: counts(3), reconnects: 1, events: 0 },
      { at: T0 + HISTORY_BUCKET_MS, links: counts(2, 1), reconnects: 0, events: 0 },
    ]);
  });

  it('hands the live feed nothing when nothing changed since it last asked', () => {
    const history = new StatusHistory();
    history.sample(T0, counts(3), 10);
    history.takeChanged();
    history.sample(T0 + 1_000, counts(3), 10);
    history.transition(move(T0 + 1_500, 'connecting', 'open'));
    expect(history.takeChanged()).toEqual([]);
    history.sample(T0 + 2_000, counts(3), 11);
    expect(history.takeChanged()).toEqual([{ at: T0, links: counts(3), reconnects: 0, events: 1 }]);
  });

  it('what it hands out is a copy: a caller cannot change the ring', () => {
    const history = new StatusHistory();
    history.sample(T0, counts(1), 0);
    history.toJSON().buckets[0]!.reconnects = 99;
    history.latest()!.events = 99;
    history.takeChanged()[0]!.links.open = 99;
    expect(history.latest()).toEqual({ at: T0, links: counts(1), reconnects: 0, events: 0 });
  });
});
