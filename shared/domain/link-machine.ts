import { assign, setup } from 'xstate';
import { backoffDelay } from './backoff';
import type { EffectParams } from './effects';
import type { LinkEvent, StepEnv } from './events';
import { DEFAULT_POLICY, isStableOpen, type LinkContext, type LinkPolicy } from './link-context';
import { classifySlackFailure, type FailureKind } from './slack-errors';

/**
 * The link machine. Pure: it computes the next snapshot and names effects; it performs none.
 * No `invoke`, no `after`: time belongs to Step Functions and the worker, rules belong here.
 * Every event carries the step's `env` (time, randomness, policy), so the machine reads no clock.
 *
 * Transitions are documented in ARCHITECTURE.md; where DESIGN.md's table is silent, the choice
 * and its reason are in the comment next to the transition.
 */
export type MachineEvent = LinkEvent & { env: StepEnv };

export interface MachineInput {
  now: number;
  tokenVersion?: number;
}

type Ctx = { context: LinkContext; event: MachineEvent };

const policyOf = (env: StepEnv): LinkPolicy => ({ ...DEFAULT_POLICY, ...env.policy });
const nowOf = ({ event, context }: Ctx): number => ('env' in event && event.env ? event.env.now : context.stateSince);

/** The failure a CONNECT_FAILED carries, classified once by the table. */
const failureOf = (event: MachineEvent) =>
  event.type === 'CONNECT_FAILED'
    ? classifySlackFailure(event.retryAfterMs === undefined ? event.error : { error: event.error, retryAfterMs: event.retryAfterMs })
    : undefined;

const failureIs = (kind: FailureKind) => ({ event }: Ctx) => failureOf(event)?.kind === kind;

/** A failure of a token that was replaced meanwhile says nothing about the new one. */
const staleToken = ({ context, event }: Ctx): boolean =>
  event.type === 'CONNECT_FAILED' &&
  event.tokenVersion !== undefined &&
  context.tokenVersion !== undefined &&
  event.tokenVersion < context.tokenVersion;

const parkReasonOf = (event: MachineEvent): string => {
  if (event.type === 'DISABLED' || event.type === 'REVOKED') return event.reason;
  return failureOf(event)?.code ?? event.type;
};

/** Schedules the next retry: sets `nextAttemptAt` and `retryDelayMs` from the policy. */
const planRetry = (context: LinkContext, env: StepEnv, attempt: number, retryAfterMs?: number): Partial<LinkContext> => {
  const delay = backoffDelay(retryAfterMs === undefined ? { attempt } : { attempt, retryAfterMs }, policyOf(env), env.random);
  return { attempt, retryDelayMs: delay, nextAttemptAt: env.now + delay };
};

function connectParams(context: LinkContext): EffectParams['requestConnect'] {
  return context.tokenVersion === undefined ? { attempt: context.attempt } : { attempt: context.attempt, tokenVersion: context.tokenVersion };
}

function scheduleRetry(reason: string) {
  return {
    type: 'scheduleRetry' as const,
    params: ({ context }: { context: LinkContext }): EffectParams['scheduleRetry'] => ({
      delayMs: context.retryDelayMs ?? 0,
      attempt: context.attempt,
      at: context.nextAttemptAt ?? context.stateSince,
      reason,
    }),
  };
}

const scheduleRetryFromError = {
  type: 'scheduleRetry' as const,
  params: ({ context, event }: Ctx): EffectParams['scheduleRetry'] => ({
    delayMs: context.retryDelayMs ?? 0,
    attempt: context.attempt,
    at: context.nextAttemptAt ?? context.stateSince,
    reason: failureOf(event)?.code ?? 'connect failed',
  }),
};

const recordOpened = {
  type: 'recordOpened' as const,
  params: ({ context }: { context: LinkContext }): EffectParams['recordOpened'] =>
    context.downSince === undefined ? { failedAttempts: context.attempt } : { failedAttempts: context.attempt, downSince: context.downSince },
};

const cancelRetry = { type: 'cancelRetry' as const, params: {} };

const reportUnknown = {
  type: 'reportUnknownError' as const,
  params: ({ event }: Ctx): EffectParams['reportUnknownError'] => ({ error: failureOf(event)?.code ?? 'unknown' }),
};

function reportParked(state: 'inactive' | 'revoked') {
  return {
    type: 'reportParked' as const,
    params: ({ event }: Ctx): EffectParams['reportParked'] => ({ state, reason: parkReasonOf(event) }),
  };
}

function park(state: 'inactive' | 'revoked') {
  return [
    'notePark' as const,
    { type: 'closeSocket' as const, params: ({ event }: Ctx) => ({ reason: parkReasonOf(event) }) },
    cancelRetry,
    reportParked(state),
  ];
}

export const linkMachine = setup({
  types: {
    context: {} as LinkContext,
    events: {} as MachineEvent,
    input: {} as MachineInput,
  },
  actions: {
    // Effects: named, with params; performed by applyEvent's caller, never here.
    requestConnect: (_: unknown, _params: EffectParams['requestConnect']) => {},
    scheduleRetry: (_: unknown, _params: EffectParams['scheduleRetry']) => {},
    cancelRetry: (_: unknown, _params: EffectParams['cancelRetry']) => {},
    closeSocket: (_: unknown, _params: EffectParams['closeSocket']) => {},
    replaceSocket: (_: unknown, _params: EffectParams['replaceSocket']) => {},
    recordOpened: (_: unknown, _params: EffectParams['recordOpened']) => {},
    reportParked: (_: unknown, _params: EffectParams['reportParked']) => {},
    reportUnknownError: (_: unknown, _params: EffectParams['reportUnknownError']) => {},

    // Context updates.
    stamp: assign({ stateSince: (ctx) => nowOf(ctx) }),
    markOpened: assign(({ context, event }) => ({
      attempt: 0,
      openedAt: nowOf({ context, event }),
      downSince: undefined,
      nextAttemptAt: undefined,
      retryDelayMs: undefined,
    })),
    markDown: assign({ downSince: (ctx) => nowOf(ctx) }),
    noteDrop: assign({
      lastError: ({ context, event }) =>
        event.type === 'DROPPED' ? (event.reason ?? (event.code === undefined ? 'dropped' : `close_${event.code}`)) : context.lastError,
    }),
    noteFailure: assign({ lastError: ({ context, event }) => failureOf(event)?.code ?? context.lastError }),
    noteRefresh: assign({ lastRefreshAt: (ctx) => nowOf(ctx) }),
    /** A drop from open: immediate retry if the link was stable, else count a flap and back off. */
    planAfterDrop: assign(({ context, event }) => {
      const stable = isStableOpen(context.openedAt, event.env.now, policyOf(event.env));
      const flaps = stable ? 0 : context.flaps + 1;
      return { flaps, ...planRetry(context, event.env, flaps) };
    }),
    /** A failed attempt (or a drop before hello): one more failure, jittered, floored by Retry-After. */
    planAfterFailure: assign(({ context, event }) => planRetry(context, event.env, context.attempt + 1, failureOf(event)?.retryAfterMs)),
    /** The owner is gone: retry at once, on whichever worker takes it. */
    planNow: assign(({ event }) => ({ retryDelayMs: 0, nextAttemptAt: event.env.now })),
    /** Re-announce the pending retry, due when it was due (never in the past). */
    planPending: assign(({ context, event }) => {
      const due = Math.max(event.env.now, context.nextAttemptAt ?? event.env.now);
      return { nextAttemptAt: due, retryDelayMs: due - event.env.now };
    }),
    clearRetry: assign({ nextAttemptAt: undefined, retryDelayMs: undefined }),
    register: assign(({ context, event }) => ({
      tokenVersion: event.type === 'REGISTERED' ? (event.tokenVersion ?? context.tokenVersion) : context.tokenVersion,
    })),
    unpark: assign(({ event }) => ({ attempt: 0, flaps: 0, parkedReason: undefined, downSince: event.env.now })),
    resetAttempts: assign({ attempt: 0, flaps: 0 }),
    notePark: assign(({ context, event }) => ({
      parkedReason: parkReasonOf(event),
      lastError: parkReasonOf(event) ?? context.lastError,
      nextAttemptAt: undefined,
      retryDelayMs: undefined,
    })),
  },
  guards: {
    staleToken,
    isInactive: failureIs('inactive'),
    isRevoked: failureIs('revoked'),
    isUnknownFailure: ({ event }: Ctx) => failureOf(event)?.known === false,
  },
}).createMachine({
  id: 'link',
  initial: 'connecting',
  // xstate's pure `transition` / `initialTransition` build a throwaway actor on every call, and its
  // constructor computes an initial snapshot *without* input. Reading `input.now` there threw, and
  // xstate caught it: a TypeError with its stack on every step (5,000 CONNECT + OPENED pairs: 257 →
  // 208 ms of CPU once it stopped). `step` always passes input, so that throwaway snapshot is the
  // only one built without it.
  context: ({ input }) => ({
    attempt: 0,
    flaps: 0,
    stateSince: input?.now ?? 0,
    downSince: input?.now ?? 0,
    ...(input?.tokenVersion === undefined ? {} : { tokenVersion: input.tokenVersion }),
  }),
  states: {
    connecting: {
      // Entering `connecting` always asks for a socket: CONNECT, RETRY, REGISTERED all land here.
      entry: ['stamp', { type: 'requestConnect', params: ({ context }) => connectParams(context) }],
      on: {
        OPENED: { target: 'open', actions: [recordOpened, 'markOpened'] },
        // A socket that dies before hello is a failed attempt, not a healthy drop.
        DROPPED: { target: 'backoff', actions: ['noteDrop', 'planAfterFailure', scheduleRetry('dropped before hello')] },
        CONNECT_FAILED: [
          { guard: 'staleToken' },
          { guard: 'isInactive', target: 'inactive', actions: park('inactive') },
          { guard: 'isRevoked', target: 'revoked', actions: park('revoked') },
          { guard: 'isUnknownFailure', target: 'backoff', actions: ['noteFailure', reportUnknown, 'planAfterFailure', scheduleRetryFromError] },
          { target: 'backoff', actions: ['noteFailure', 'planAfterFailure', scheduleRetryFromError] },
        ],
        DISABLED: { target: 'inactive', actions: park('inactive') },
        REVOKED: { target: 'revoked', actions: park('revoked') },
        // New credentials while connecting: start over with them, so the attempt in flight (with
        // the old token) cannot decide the link's fate.
        REGISTERED: { target: 'connecting', reenter: true, actions: ['register', 'resetAttempts'] },
        OWNER_LOST: { target: 'backoff', actions: ['planNow', scheduleRetry('owner lost')] },
        // CONNECT, RETRY: already connecting. REFRESH: nothing to refresh yet.
      },
    },
    open: {
      entry: ['stamp'],
      on: {
        DROPPED: { target: 'backoff', actions: ['noteDrop', 'markDown', 'planAfterDrop', scheduleRetry('dropped')] },
        REFRESH: { actions: ['noteRefresh', { type: 'replaceSocket', params: ({ event }) => ({ reason: event.type === 'REFRESH' ? event.reason : 'refresh' }) }] },
        CONNECT_FAILED: [
          { guard: 'staleToken' },
          { guard: 'isInactive', target: 'inactive', actions: park('inactive') },
          { guard: 'isRevoked', target: 'revoked', actions: park('revoked') },
          // A replacement socket failed transiently while the old one still serves: stay open.
          // When Slack closes the old socket, that arrives as DROPPED.
          { guard: 'isUnknownFailure', actions: ['noteFailure', reportUnknown] },
          { actions: ['noteFailure'] },
        ],
        DISABLED: { target: 'inactive', actions: park('inactive') },
        REVOKED: { target: 'revoked', actions: park('revoked') },
        // A reinstall rotated the token: move the socket to the new token, make-before-break.
        REGISTERED: { actions: ['register', { type: 'replaceSocket', params: { reason: 'token_rotated' } }] },
        OWNER_LOST: { target: 'backoff', actions: ['markDown', 'planNow', scheduleRetry('owner lost')] },
        // CONNECT, OPENED (duplicate hello), RETRY: nothing to do.
      },
    },
    backoff: {
      entry: ['stamp'],
      on: {
        RETRY: { target: 'connecting', actions: ['clearRetry'] },
        // Connect now (operator, or a duplicate start): drop the pending retry.
        CONNECT: { target: 'connecting', actions: ['clearRetry', cancelRetry] },
        // A socket came up after all (a late attempt finished): believe it, drop the retry.
        OPENED: { target: 'open', actions: [cancelRetry, recordOpened, 'markOpened'] },
        CONNECT_FAILED: [
          { guard: 'staleToken' },
          { guard: 'isInactive', target: 'inactive', actions: park('inactive') },
          { guard: 'isRevoked', target: 'revoked', actions: park('revoked') },
          // Transient: a retry is already pending; counting this late failure would double-count.
        ],
        DISABLED: { target: 'inactive', actions: park('inactive') },
        REVOKED: { target: 'revoked', actions: park('revoked') },
        // New credentials are worth trying now rather than after the backoff.
        REGISTERED: { target: 'connecting', actions: ['register', 'resetAttempts', 'clearRetry', cancelRetry] },
        // The dead owner may have held the pending retry in memory (the in-place retry):
        // announce it again, due when it was due. Duplicate schedules are harmless (the restart
        // workflow's execution name is derived from link id and epoch).
        OWNER_LOST: { actions: ['planPending', scheduleRetry('owner lost')] },
        // DROPPED: already down. REFRESH: nothing open to refresh.
      },
    },
    inactive: {
      entry: ['stamp'],
      on: {
        REGISTERED: { target: 'connecting', actions: ['register', 'unpark'] },
        // Uninstalled after being disabled: revoked is the stronger, truer state.
        REVOKED: { target: 'revoked', actions: ['notePark', reportParked('revoked')] },
        // A socket that opened after the link was parked must not stay open.
        OPENED: { actions: [{ type: 'closeSocket', params: { reason: 'parked' } }] },
        // Everything else is ignored: only REGISTERED brings a parked link back.
      },
    },
    revoked: {
      entry: ['stamp'],
      on: {
        REGISTERED: { target: 'connecting', actions: ['register', 'unpark'] },
        OPENED: { actions: [{ type: 'closeSocket', params: { reason: 'parked' } }] },
        // DISABLED is weaker than revoked: ignored, like everything else but REGISTERED.
      },
    },
  },
});
