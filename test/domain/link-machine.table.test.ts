import { describe, expect, it } from 'vitest';
import { LINK_EVENT_TYPES, LINK_STATES, step, type EffectType, type LinkStateName } from '../../shared/domain';
import { envAt, EVENTS, snapshotIn, type EventName } from './fixtures';

const PARK = ['closeSocket', 'cancelRetry', 'reportParked'] as const;

/**
 * The machine's full transition table: every state against every event (and every class of
 * CONNECT_FAILED). Each row: where the link ends, and which effects it asks for, in order.
 * This table is the spec; ARCHITECTURE.md shows the same rules as a diagram.
 */
const TABLE: Record<LinkStateName, Record<EventName, [LinkStateName, readonly EffectType[]]>> = {
  connecting: {
    CONNECT: ['connecting', []],
    OPENED: ['open', ['recordOpened']],
    DROPPED: ['backoff', ['scheduleRetry']],
    REFRESH: ['connecting', []],
    'CONNECT_FAILED(transient)': ['backoff', ['scheduleRetry']],
    'CONNECT_FAILED(ratelimited)': ['backoff', ['scheduleRetry']],
    'CONNECT_FAILED(inactive)': ['inactive', PARK],
    'CONNECT_FAILED(revoked)': ['revoked', PARK],
    'CONNECT_FAILED(unknown)': ['backoff', ['reportUnknownError', 'scheduleRetry']],
    RETRY: ['connecting', []],
    DISABLED: ['inactive', PARK],
    REVOKED: ['revoked', PARK],
    REGISTERED: ['connecting', ['requestConnect']],
    OWNER_LOST: ['backoff', ['scheduleRetry']],
  },
  open: {
    CONNECT: ['open', []],
    OPENED: ['open', []],
    DROPPED: ['backoff', ['scheduleRetry']],
    REFRESH: ['open', ['replaceSocket']],
    'CONNECT_FAILED(transient)': ['open', []],
    'CONNECT_FAILED(ratelimited)': ['open', []],
    'CONNECT_FAILED(inactive)': ['inactive', PARK],
    'CONNECT_FAILED(revoked)': ['revoked', PARK],
    'CONNECT_FAILED(unknown)': ['open', ['reportUnknownError']],
    RETRY: ['open', []],
    DISABLED: ['inactive', PARK],
    REVOKED: ['revoked', PARK],
    REGISTERED: ['open', ['replaceSocket']],
    OWNER_LOST: ['backoff', ['scheduleRetry']],
  },
  backoff: {
    CONNECT: ['connecting', ['cancelRetry', 'requestConnect']],
    OPENED: ['open', ['cancelRetry', 'recordOpened']],
    DROPPED: ['backoff', []],
    REFRESH: ['backoff', []],
    'CONNECT_FAILED(transient)': ['backoff', []],
    'CONNECT_FAILED(ratelimited)': ['backoff', []],
    'CONNECT_FAILED(inactive)': ['inactive', PARK],
    'CONNECT_FAILED(revoked)': ['revoked', PARK],
    'CONNECT_FAILED(unknown)': ['backoff', []],
    RETRY: ['connecting', ['requestConnect']],
    DISABLED: ['inactive', PARK],
    REVOKED: ['revoked', PARK],
    REGISTERED: ['connecting', ['cancelRetry', 'requestConnect']],
    OWNER_LOST: ['backoff', ['scheduleRetry']],
  },
  inactive: {
    CONNECT: ['inactive', []],
    OPENED: ['inactive', ['closeSocket']],
    DROPPED: ['inactive', []],
    REFRESH: ['inactive', []],
    'CONNECT_FAILED(transient)': ['inactive', []],
    'CONNECT_FAILED(ratelimited)': ['inactive', []],
    'CONNECT_FAILED(inactive)': ['inactive', []],
    'CONNECT_FAILED(revoked)': ['inactive', []],
    'CONNECT_FAILED(unknown)': ['inactive', []],
    RETRY: ['inactive', []],
    DISABLED: ['inactive', []],
    REVOKED: ['revoked', ['reportParked']],
    REGISTERED: ['connecting', ['requestConnect']],
    OWNER_LOST: ['inactive', []],
  },
  revoked: {
    CONNECT: ['revoked', []],
    OPENED: ['revoked', ['closeSocket']],
    DROPPED: ['revoked', []],
    REFRESH: ['revoked', []],
    'CONNECT_FAILED(transient)': ['revoked', []],
    'CONNECT_FAILED(ratelimited)': ['revoked', []],
    'CONNECT_FAILED(inactive)': ['revoked', []],
    'CONNECT_FAILED(revoked)': ['revoked', []],
    'CONNECT_FAILED(unknown)': ['revoked', []],
    RETRY: ['revoked', []],
    DISABLED: ['revoked', []],
    REVOKED: ['revoked', []],
    REGISTERED: ['connecting', ['requestConnect']],
    OWNER_LOST: ['revoked', []],
  },
};

const rows = LINK_STATES.flatMap((state) =>
  (Object.keys(EVENTS) as EventName[]).map((name) => [state, name, ...TABLE[state][name]] as const),
);

describe('link machine transition table', () => {
  it('covers every state and every event type', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...LINK_STATES].sort());
    const covered = new Set(Object.values(EVENTS).map((e) => e.type));
    expect([...covered].sort()).toEqual([...LINK_EVENT_TYPES].sort());
  });

  it.each(rows)('%s + %s → %s %j', (state, name, target, effects) => {
    const before = snapshotIn(state, state === 'backoff' ? { attempt: 2, nextAttemptAt: 1, retryDelayMs: 1000 } : { tokenVersion: 1 });
    const result = step(before, EVENTS[name], envAt());
    expect(result.snapshot.value).toBe(target);
    expect(result.effects.map((e) => e.type)).toEqual(effects);
  });

  it('reports an ignored event as unchanged, so nothing is written', () => {
    const before = snapshotIn('revoked', { parkedReason: 'invalid_auth' });
    const result = step(before, EVENTS.RETRY, envAt());
    expect(result.changed).toBe(false);
    expect(result.snapshot).toEqual(before);
  });
});
