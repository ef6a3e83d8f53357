import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  linkMachine,
  InvalidSnapshotError,
  isStableOpen,
  MACHINE_VERSION,
  step,
  UnknownMachineVersionError,
  UnstartedLinkError,
  type PersistedSnapshot,
} from '../../shared/domain';
import { envAt, snapshotIn, T0 } from './fixtures';

describe('step: a new link', () => {
  it('starts in connecting and asks for a socket', () => {
    const result = step(undefined, { type: 'CONNECT' }, envAt());
    expect(result.snapshot).toEqual({
      machineVersion: MACHINE_VERSION,
      value: 'connecting',
      context: { attempt: 0, flaps: 0, stateSince: T0, downSince: T0 },
    });
    expect(result.effects).toEqual([{ type: 'requestConnect', params: { attempt: 0 } }]);
    expect(result.changed).toBe(true);
  });

  it('refuses to start with anything but CONNECT', () => {
    expect(() => step(undefined, { type: 'OPENED' }, envAt())).toThrow(UnstartedLinkError);
  });
});

describe('step: persisted snapshots', () => {
  it('rejects a snapshot of an unknown machine version instead of reinterpreting it', () => {
    const future = { ...snapshotIn('open'), machineVersion: MACHINE_VERSION + 1 };
    expect(() => step(future, { type: 'DROPPED' }, envAt())).toThrow(UnknownMachineVersionError);
    const unversioned = { value: 'open', context: { attempt: 0, stateSince: T0 } } as unknown as PersistedSnapshot;
    expect(() => step(unversioned, { type: 'DROPPED' }, envAt())).toThrow(UnknownMachineVersionError);
  });

  it('rejects a snapshot whose state is not a link state', () => {
    const bad = { ...snapshotIn('open'), value: 'stopped' } as unknown as PersistedSnapshot;
    expect(() => step(bad, { type: 'DROPPED' }, envAt())).toThrow(InvalidSnapshotError);
  });

  it('records when each state was entered', () => {
    const result = step(snapshotIn('open', { openedAt: T0 - 3_600_000 }), { type: 'DROPPED', code: 1006 }, envAt(T0 + 5));
    expect(result.snapshot.context.stateSince).toBe(T0 + 5);
    expect(result.snapshot.context.downSince).toBe(T0 + 5);
    expect(result.snapshot.context.lastError).toBe('close_1006');
  });
});

describe('step: backoff policy', () => {
  it('retries at once after a drop from a link that was open long enough', () => {
    const result = step(snapshotIn('open', { openedAt: T0 - 60_000 }), { type: 'DROPPED', code: 1006 }, envAt(T0, 0.99));
    expect(result.effects).toEqual([{ type: 'scheduleRetry', params: { delayMs: 0, attempt: 0, at: T0, reason: 'dropped' } }]);
  });

  it('backs off a flapping link (open for less than stableOpenMs) instead of hammering Slack', () => {
    let snapshot = snapshotIn('open', { openedAt: T0 - 60_000 });
    const delays: number[] = [];
    let now = T0;
    for (let i = 0; i < 4; i += 1) {
      const dropped = step(snapshot, { type: 'DROPPED', code: 1006 }, envAt(now, 0.99));
      const retry = dropped.effects.find((e) => e.type === 'scheduleRetry');
      delays.push(retry?.type === 'scheduleRetry' ? retry.params.delayMs : -1);
      const connecting = step(dropped.snapshot, { type: 'RETRY' }, envAt(now));
      now += 1_000;
      snapshot = step(connecting.snapshot, { type: 'OPENED' }, envAt(now)).snapshot;
      now += 1_000; // open for 1 s, then drops again
    }
    expect(delays[0]).toBe(0);
    expect(delays.slice(1)).toEqual([990, 1980, 3960]);
  });

  it('plans a drop by the exported stable-open rule, at its boundary and under an overridden policy', () => {
    const cases: Array<[openedFor: number, policy: { stableOpenMs?: number }]> = [
      [DEFAULT_POLICY.stableOpenMs, {}],
      [DEFAULT_POLICY.stableOpenMs - 1, {}],
      [5_000, { stableOpenMs: 5_000 }],
      [4_999, { stableOpenMs: 5_000 }],
    ];
    const verdicts = cases.map(([openedFor, policy]) => {
      const stable = isStableOpen(T0 - openedFor, T0, policy);
      const dropped = step(snapshotIn('open', { openedAt: T0 - openedFor }), { type: 'DROPPED' }, { ...envAt(T0, 0.99), policy });
      expect(dropped.snapshot.context.retryDelayMs === 0, `open for ${openedFor} ms`).toBe(stable);
      return stable;
    });
    expect(verdicts).toEqual([true, false, true, false]);
    expect(isStableOpen(undefined, T0)).toBe(true); // no recorded open: the machine treats it as stable
  });

  it('grows the jitter window per failed attempt up to the cap', () => {
    let snapshot = snapshotIn('connecting');
    const delays: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const failed = step(snapshot, { type: 'CONNECT_FAILED', error: 'internal_error' }, envAt(T0, 0.999_999));
      const retry = failed.effects[0];
      delays.push(retry?.type === 'scheduleRetry' ? retry.params.delayMs : -1);
      snapshot = step(failed.snapshot, { type: 'RETRY' }, envAt()).snapshot;
    }
    expect(delays).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
    expect(snapshot.context.attempt).toBe(9);
  });

  it('never retries before Retry-After, even above the cap', () => {
    const result = step(snapshotIn('connecting'), { type: 'CONNECT_FAILED', error: 'ratelimited', retryAfterMs: 90_000 }, envAt(T0, 0));
    expect(result.effects).toEqual([{ type: 'scheduleRetry', params: { delayMs: 90_000, attempt: 1, at: T0 + 90_000, reason: 'ratelimited' } }]);
  });

  it('waits 30 s for a rate limit that names no Retry-After', () => {
    const result = step(snapshotIn('connecting'), { type: 'CONNECT_FAILED', error: 'ratelimited' }, envAt(T0, 0));
    expect(result.snapshot.context.retryDelayMs).toBe(30_000);
  });

  it('honours policy overrides from the env', () => {
    const env = { ...envAt(T0, 0.999_999), policy: { baseMs: 100, capMs: 150 } };
    const result = step(snapshotIn('connecting', { attempt: 5 }), { type: 'CONNECT_FAILED', error: 'fatal_error' }, env);
    expect(result.snapshot.context.retryDelayMs).toBe(149);
  });

  it('resets attempts when the link opens', () => {
    const result = step(snapshotIn('connecting', { attempt: 6, downSince: T0 - 9_000 }), { type: 'OPENED' }, envAt());
    expect(result.snapshot.context.attempt).toBe(0);
    expect(result.effects).toEqual([{ type: 'recordOpened', params: { failedAttempts: 6, downSince: T0 - 9_000 } }]);
  });

  it('re-announces a pending retry when the owner is lost during backoff', () => {
    const before = snapshotIn('backoff', { attempt: 3, nextAttemptAt: T0 + 4_000, retryDelayMs: 5_000 });
    const result = step(before, { type: 'OWNER_LOST' }, envAt(T0));
    expect(result.effects).toEqual([{ type: 'scheduleRetry', params: { delayMs: 4_000, attempt: 3, at: T0 + 4_000, reason: 'owner lost' } }]);
  });
});

describe('step: parking and reactivation', () => {
  it('parks on a fatal connect error with the error as the reason', () => {
    const result = step(snapshotIn('connecting'), { type: 'CONNECT_FAILED', error: 'account_inactive' }, envAt());
    expect(result.snapshot.value).toBe('inactive');
    expect(result.snapshot.context.parkedReason).toBe('account_inactive');
    expect(result.effects).toContainEqual({ type: 'reportParked', params: { state: 'inactive', reason: 'account_inactive' } });
  });

  it('ignores a fatal failure of a token that was replaced meanwhile', () => {
    const before = snapshotIn('connecting', { tokenVersion: 3 });
    const result = step(before, { type: 'CONNECT_FAILED', error: 'invalid_auth', tokenVersion: 2 }, envAt());
    expect(result.snapshot.value).toBe('connecting');
    expect(result.changed).toBe(false);
  });

  it('comes back with the new token on REGISTERED, attempts reset', () => {
    const before = snapshotIn('revoked', { attempt: 4, flaps: 2, parkedReason: 'app_uninstalled', tokenVersion: 1 });
    const result = step(before, { type: 'REGISTERED', tokenVersion: 2 }, envAt());
    expect(result.snapshot.value).toBe('connecting');
    expect(result.snapshot.context).toMatchObject({ attempt: 0, flaps: 0, tokenVersion: 2 });
    expect(result.snapshot.context.parkedReason).toBeUndefined();
    expect(result.effects).toEqual([{ type: 'requestConnect', params: { attempt: 0, tokenVersion: 2 } }]);
  });

  it('moves an open link to a rotated token make-before-break', () => {
    const result = step(snapshotIn('open', { tokenVersion: 1 }), { type: 'REGISTERED', tokenVersion: 2 }, envAt());
    expect(result.snapshot.value).toBe('open');
    expect(result.snapshot.context.tokenVersion).toBe(2);
    expect(result.effects).toEqual([{ type: 'replaceSocket', params: { reason: 'token_rotated' } }]);
  });
});

describe('the machine built without input', () => {
  // xstate's pure transition functions build a throwaway actor without input on every call: its
  // initial snapshot must not be an error (a TypeError caught inside xstate, on every step).
  it('starts as a live snapshot, not an error', () => {
    // No options at all, as xstate's `createInertActorScope` calls it (the types insist on input).
    const withoutInput = createActor as (logic: typeof linkMachine) => ReturnType<typeof createActor<typeof linkMachine>>;
    const snapshot = withoutInput(linkMachine).getSnapshot();
    expect(snapshot.status).toBe('active');
    expect(snapshot.value).toBe('connecting');
  });
});
