export {
  ApplyEventConflictError,
  applyEvent,
  type ApplyEventDeps,
  type ApplyEventOptions,
  type ApplyEventResult,
} from './apply-event';
export { InvalidLinkIdError, maxSocketModeSlots, parseLinkId, rtmLinkId, socketModeLinkId } from './link-id';
export { performDetachedEffects, recordEffectMetric, type DetachedEffectDeps } from './detached-effects';
export { retryDue } from './retry-due';
