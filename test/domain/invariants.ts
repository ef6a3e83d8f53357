import { expect } from 'vitest';
import {
  classifySlackFailure,
  DEFAULT_POLICY,
  EFFECT_TYPES,
  PARKED_STATES,
  type LinkEvent,
  type PersistedSnapshot,
  type StepEnv,
  type StepResult,
} from '../../shared/domain';

/** The floor a scheduleRetry may not undercut for this event. */
export function retryFloor(event: LinkEvent): number {
  if (event.type !== 'CONNECT_FAILED') return 0;
  const c = classifySlackFailure(event.retryAfterMs === undefined ? event.error : { error: event.error, retryAfterMs: event.retryAfterMs });
  return c.retryAfterMs ?? 0;
}

/**
 * The per-step invariants of the link machine, checked after every step in the model-based
 * and property tests. Returns nothing; fails the test on the first broken rule.
 */
export function assertStepInvariants(before: PersistedSnapshot, event: LinkEvent, env: StepEnv, result: StepResult): void {
  const after = result.snapshot;
  const where = `${before.value} --${JSON.stringify(event)}--> ${after.value}`;
  const types = result.effects.map((e) => e.type);

  for (const t of types) expect(EFFECT_TYPES, where).toContain(t);

  // Parked links stay parked and never ask for a socket, except on REGISTERED.
  if (PARKED_STATES.includes(before.value) && event.type !== 'REGISTERED') {
    expect(PARKED_STATES, where).toContain(after.value);
    expect(types, where).not.toContain('requestConnect');
    expect(types, where).not.toContain('scheduleRetry');
  }
  // A connect is requested exactly when the link (re)enters connecting.
  if (types.includes('requestConnect')) expect(after.value, where).toBe('connecting');

  // attempt resets on OPENED.
  if (event.type === 'OPENED' && after.value === 'open') expect(after.context.attempt, where).toBe(0);

  // Every retry delay lies within [Retry-After floor, cap] (the floor wins when above the cap).
  const cap = env.policy?.capMs ?? DEFAULT_POLICY.capMs;
  for (const effect of result.effects) {
    if (effect.type !== 'scheduleRetry') continue;
    expect(after.value, where).toBe('backoff');
    if (before.value === 'backoff') {
      // Re-announcing a pending retry (OWNER_LOST) plans nothing new: it is due when it was due.
      expect(effect.params.at, where).toBe(Math.max(env.now, before.context.nextAttemptAt ?? env.now));
      continue;
    }
    const floor = retryFloor(event);
    expect(effect.params.delayMs, where).toBeGreaterThanOrEqual(floor);
    expect(effect.params.delayMs, where).toBeLessThanOrEqual(Math.max(floor, cap));
  }
  for (const effect of result.effects) {
    if (effect.type !== 'scheduleRetry') continue;
    expect(effect.params.delayMs, where).toBeGreaterThanOrEqual(0);
    expect(effect.params.at, where).toBe(env.now + effect.params.delayMs);
    expect(after.context.nextAttemptAt, where).toBe(effect.params.at);
  }
  // A link in backoff always knows when its retry is due.
  if (after.value === 'backoff') expect(after.context.nextAttemptAt, where).toBeTypeOf('number');
  if (PARKED_STATES.includes(after.value)) expect(after.context.nextAttemptAt, where).toBeUndefined();

  // An ignored event changes nothing.
  if (!result.changed) expect(after, where).toEqual(before);
  expect(after.context.attempt, where).toBeGreaterThanOrEqual(0);
}
