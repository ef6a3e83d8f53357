export {
  ApplyEventConflictError,
  applyEvent,
  createConnecting,
  createOpened,
  previousVersionWriter,
  type ApplyEventDeps,
  type ApplyEventOptions,
  type ApplyEventResult,
} from './apply-event';
export { InvalidLinkIdError, maxSocketModeSlots, parseLinkId, rtmLinkId, socketModeLinkId } from './link-id';
export { applyAndPerform, type ApplyAndPerformDeps } from './apply-and-perform';
export { leaveSocketToOwner, performEffects, type EffectDeps, type EffectPerformer } from './perform-effects';
export { applyDetached, detachedPerformer, type DetachedEffectDeps } from './detached-performer';
export { DEFAULT_REGISTER_CONCURRENCY, queueNewLinks, registerNewLinks } from './register-links';
export { judgeWorkers, type JudgeWorkersDeps, type WorkerVerdicts } from './judge-workers';
export { sweepLinks, type SweepDeps, type SweepOptions, type SweepReport } from './sweep-links';
export { completeInstall, InvalidInstallError, type CompleteInstallDeps, type CompleteInstallResult, type InstallOutcome } from './complete-install';
export { parkInstallation, type ParkInstallationDeps, type ParkRequest, type ParkResult } from './park-installation';
export {
  DEFAULT_REFRESH_WINDOW_MS,
  InstallationCredentials,
  type AppSecrets,
  type InstallationCredentialsOptions,
} from './installation-credentials';
export { installationCredentialsFor, type InstallationCredentialsDeps } from './app-credentials';
export { installationLinkId, type InstalledApp } from './installation-links';
export { botTokenContext, refreshTokenContext, sealTokens, type SealedTokens } from './installation-secrets';
export { applyOwnerLost, handOverLinksOf, handOverLinksUntilDone, type HandOverRetry } from './hand-over-links';
export { forEachLink, setLinksActive, type OperatorActionResult, type OperatorDeps, type OperatorTarget } from './operator-actions';
export { operatorSetLinksActive, type OperatorLifecycleDeps, type OperatorLifecycleResult, type OperatorNoticeOutcome } from './operator-lifecycle';
export { rowOf, type LinkRow } from './operator-rows';
export { reactivatePoolOnNewAppToken, type AppTokenChangeDeps } from './app-token-change';
export { gatedSink, ParkGate, type InstallationParkView, type LinkParkView } from './park-gate';
export { DEFAULT_DATA_DIR, DEFAULT_PORT, OPERATOR_REQUEST_HEADER, OPERATOR_TOKEN_FILE } from './operator-access';
export { allLinksIn, pagesInState, pagesOf, pagesOwnedBy } from './link-pages';
export { InstallationBotAuthorizer, type InstallationBotAuthorizerDeps } from './bot-authorizer';
export { eventCallbackKey, interactionKey, payloadDigest, payloadKey, type KeyedPayload } from './payload-key';
export {
  announceLifecycle,
  isLifecycleKind,
  LIFECYCLE_KINDS,
  lifecycleSinkEvent,
  type LifecycleKind,
  type LifecycleNotice,
  type LifecycleNoticeDeps,
  type LifecyclePayload,
} from './lifecycle-notice';
export { lifecycleParkReason, parkFromSocketEvent, type LifecycleEventBody, type SocketLifecycleDeps } from './socket-lifecycle';
export { appTokenFingerprint, parkedForAppConfig, poolLinksOf, reactivateParkedPool } from './socket-pool';
export { fairShares, giveThreshold, planDrain, planMoves, routeHandoff, type FleetMember, type HandoffRoute, type PlannedMove, type RebalanceSettings } from './rebalance-plan';
