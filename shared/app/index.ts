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
export { judgeWorkers, type JudgeWorkersDeps, type WorkerVerdicts } from './judge-workers';
export { sweepLinks, type SweepDeps, type SweepOptions, type SweepReport } from './sweep-links';
