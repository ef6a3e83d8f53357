export type {
  ClaimLink,
  Fence,
  LinkIdentity,
  LinkProtocol,
  LinkRecord,
  LinkStore,
  NewLink,
  Page,
  PageRequest,
  SaveLink,
  StateQuery,
} from './link-store';
export {
  FencedWriteError,
  LinkExistsError,
  LinkNotFoundError,
  LinkStoreError,
  StaleWriteError,
  type AnyLinkStoreError,
  type LinkStoreErrorCode,
} from './link-store';
export type { ConnectCommand, ConnectQueue, ReceivedCommand } from './connect-queue';
export type { AppTokenMemory } from './app-token-memory';
export { NoCredentialError, type Credentials, type LinkCredential } from './credentials';
export { DEFAULT_DEDUPE_TIMINGS, type DedupeClaim, type EventDedupe, type EventDedupeTimings } from './event-dedupe';
export type { MetricName, Metrics } from './metrics';
export { checkFleetReport, type FleetMetrics, type FleetReport } from './fleet-metrics';
export { deliverAll, refusal, SinkError, type Sink, type SinkAnswer, type SinkEvent } from './sink';
export { SlackApiError, type SlackApi } from './slack-api';
export type { ConnectCause, ConnectFailureKind, ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from './workflow';
export { WorkerConflictError, type WorkerRecord, type WorkerRegistry } from './worker-registry';
export type { Logger } from './logger';
export {
  InstallationExistsError,
  InstallationStoreError,
  StaleInstallationError,
  type InstallationKey,
  type InstallationRecord,
  type InstallationStore,
  type InstallationStoreErrorCode,
  type ParkInstallation,
  type ParkOutcome,
} from './installation-store';
export { TokenCipherError, type SecretContext, type TokenCipher } from './token-cipher';
export type { OAuthAccess, OAuthClient, OAuthGrant, SlackOAuthApi } from './slack-api';
export { BotAuthorizationError, type BotAuthorization, type BotAuthorizationQuery, type BotAuthorizer, type BotInstallation } from './bot-authorizer';
export {
  SecretMalformedError,
  SecretSourceError,
  SecretUnavailableError,
  type AnySecretSourceError,
  type SecretFields,
  type SecretFieldSpec,
  type SecretSource,
  type SecretSourceErrorCode,
} from './secret-source';
