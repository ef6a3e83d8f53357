export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { EFFECT_TYPES, isEffectType, type Effect, type EffectParams, type EffectType } from './effects';
export { DomainError, InvalidSnapshotError, UnknownMachineVersionError, UnstartedLinkError } from './errors';
export { LINK_EVENT_TYPES, type LinkEvent, type LinkEventType, type StepEnv } from './events';
export {
  DEFAULT_POLICY,
  HELD_STATES,
  isHeld,
  isParked,
  isStableOpen,
  LINK_STATES,
  LIVE_STATES,
  PARKED_STATES,
  type LinkContext,
  type LinkPolicy,
  type LinkStateName,
} from './link-context';
export { LINK_PROTOCOLS, type LinkProtocol } from './link-protocol';
export { linkMachine, type MachineEvent, type MachineInput } from './link-machine';
export {
  classifySlackError,
  classifySlackFailure,
  DEFAULT_RATELIMIT_MS,
  disconnectNoticeEvent,
  KNOWN_SLACK_ERRORS,
  type Classification,
  type FailureKind,
  type SlackFailure,
} from './slack-errors';
export { MACHINE_VERSION, parseSnapshot, step, type PersistedSnapshot, type StepResult } from './step';
