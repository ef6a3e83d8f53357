import { getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { linkMachine, MACHINE_VERSION, step, type LinkEvent, type MachineEvent, type PersistedSnapshot, type StepEnv } from '../../shared/domain';
import { EVENTS, T0 } from './fixtures';
import { assertStepInvariants } from './invariants';

/**
 * Model-based test: @xstate/graph walks the machine from its initial state with every event,
 * and every reachable (state, event) pair is replayed through `step` (the code the system runs),
 * checking the per-step invariants. Context grows without bound (attempt counts), so states are
 * serialized by a bounded abstraction; the `limit` caps the walk.
 */
const ENV: StepEnv = { now: T0, random: () => 0.999 };
const MODEL_EVENTS: LinkEvent[] = [
  ...Object.values(EVENTS),
  { type: 'CONNECT_FAILED', error: 'ratelimited' },
  { type: 'CONNECT_FAILED', error: 'migration_in_progress' },
  { type: 'CONNECT_FAILED', error: 'invalid_auth', tokenVersion: 1 },
  { type: 'DROPPED', reason: 'dead_socket' },
  { type: 'REGISTERED' },
];
const withEnv = (event: LinkEvent): MachineEvent => ({ ...event, env: ENV });

type Snap = { value: unknown; context: PersistedSnapshot['context'] };
const serializeState = (s: Snap): string => {
  const c = s.context;
  return JSON.stringify([s.value, Math.min(c.attempt, 4), Math.min(c.flaps, 2), c.tokenVersion ?? null, c.nextAttemptAt !== undefined]);
};

const toPersisted = (s: Snap): PersistedSnapshot => JSON.parse(JSON.stringify({ machineVersion: MACHINE_VERSION, value: s.value, context: s.context }));

describe('link machine, model-based', () => {
  const paths = getShortestPaths(linkMachine, {
    events: MODEL_EVENTS.map(withEnv),
    serializeState: serializeState as never,
    input: { now: T0 },
    limit: 20_000,
  });

  it('reaches every state', () => {
    const reached = new Set(paths.map((p) => p.state.value as string));
    expect([...reached].sort()).toEqual(['backoff', 'connecting', 'inactive', 'open', 'revoked']);
    expect(paths.length).toBeGreaterThan(30);
  });

  it('step() agrees with the graph along every shortest path', () => {
    for (const path of paths) {
      let snapshot = step(undefined, { type: 'CONNECT' }, ENV).snapshot;
      for (const { event, state } of path.steps.slice(1)) {
        const { env: _env, ...plain } = event as MachineEvent;
        const before = snapshot;
        const result = step(before, plain as LinkEvent, ENV);
        assertStepInvariants(before, plain as LinkEvent, ENV, result);
        snapshot = result.snapshot;
        expect(snapshot.value).toBe(state.value);
      }
    }
  });

  it('holds the invariants for every event in every reachable state', () => {
    let pairs = 0;
    for (const path of paths) {
      const from = toPersisted(path.state as unknown as Snap);
      for (const event of MODEL_EVENTS) {
        assertStepInvariants(from, event, ENV, step(from, event, ENV));
        pairs += 1;
      }
    }
    expect(pairs).toBe(paths.length * MODEL_EVENTS.length);
  });
});
