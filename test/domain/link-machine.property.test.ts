import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step, type LinkEvent, type PersistedSnapshot, type StepEnv } from '../../shared/domain';
import { T0 } from './fixtures';
import { assertStepInvariants } from './invariants';

const errors = fc.constantFrom(
  'internal_error', 'ratelimited', 'account_inactive', 'invalid_auth', 'token_expired', 'link_disabled',
  'missing_scope', 'team_migration_started', 'migration_in_progress', 'http_503', 'close_1006', 'ECONNRESET', 'no_such_error',
);

const eventArb: fc.Arbitrary<LinkEvent> = fc.oneof(
  fc.constant({ type: 'CONNECT' } as const),
  fc.constant({ type: 'OPENED' } as const),
  fc.record({ type: fc.constant('DROPPED' as const), code: fc.constantFrom(1000, 1001, 1006, 1011, 4000) }),
  fc.record({ type: fc.constant('REFRESH' as const), reason: fc.constantFrom('goodbye', 'warning', 'refresh_requested') }),
  fc.record(
    { type: fc.constant('CONNECT_FAILED' as const), error: errors, retryAfterMs: fc.integer({ min: 0, max: 200_000 }), tokenVersion: fc.integer({ min: 0, max: 3 }) },
    { requiredKeys: ['type', 'error'] },
  ),
  fc.constant({ type: 'RETRY' } as const),
  fc.record({ type: fc.constant('DISABLED' as const), reason: fc.constantFrom('account_inactive', 'link_disabled') }),
  fc.record({ type: fc.constant('REVOKED' as const), reason: fc.constantFrom('app_uninstalled', 'tokens_revoked') }),
  fc.record({ type: fc.constant('REGISTERED' as const), tokenVersion: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['type'] }),
  fc.constant({ type: 'OWNER_LOST' } as const),
);

/** A sequence of (event, time advance, random draw). */
const runArb = fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 120_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), {
  minLength: 1,
  maxLength: 60,
});

describe('link machine, properties over random event sequences', () => {
  it('holds the per-step invariants', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        let now = T0;
        let snapshot: PersistedSnapshot = step(undefined, { type: 'CONNECT' }, { now, random: () => 0 }).snapshot;
        for (const [event, advance, draw] of run) {
          now += advance;
          const env: StepEnv = { now, random: () => draw };
          const result = step(snapshot, event, env);
          assertStepInvariants(snapshot, event, env, result);
          snapshot = result.snapshot;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('steps a snapshot round-tripped through JSON to the same result', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        let now = T0;
        let snapshot: PersistedSnapshot = step(undefined, { type: 'CONNECT' }, { now, random: () => 0 }).snapshot;
        for (const [event, advance, draw] of run) {
          now += advance;
          const env: StepEnv = { now, random: () => draw };
          const direct = step(snapshot, event, env);
          const revived = step(JSON.parse(JSON.stringify(snapshot)) as PersistedSnapshot, event, env);
          expect(revived).toEqual(direct);
          expect(JSON.parse(JSON.stringify(direct.snapshot))).toEqual(direct.snapshot);
          snapshot = direct.snapshot;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves a parked state except on REGISTERED', () => {
    fc.assert(
      fc.property(fc.constantFrom('account_inactive', 'invalid_auth'), fc.array(eventArb, { maxLength: 40 }), (fatal, events) => {
        let snapshot = step(undefined, { type: 'CONNECT' }, { now: T0, random: () => 0 }).snapshot;
        snapshot = step(snapshot, { type: 'CONNECT_FAILED', error: fatal }, { now: T0, random: () => 0 }).snapshot;
        for (const event of events) {
          if (event.type === 'REGISTERED') break;
          snapshot = step(snapshot, event, { now: T0, random: () => 0.5 }).snapshot;
          expect(['inactive', 'revoked']).toContain(snapshot.value);
        }
      }),
      { numRuns: 300 },
    );
  });
});
