export { DynamoDbLinkStore, type DynamoDbLinkStoreOptions } from './dynamodb-link-store';
export { DynamoDbWorkerRegistry, type DynamoDbWorkerRegistryOptions } from './dynamodb-worker-registry';
export { DynamoDbEventDedupe, type DynamoDbEventDedupeOptions } from './dynamodb-event-dedupe';
export { DynamoDbInstallationStore, type DynamoDbInstallationStoreOptions } from './dynamodb-installation-store';
export { toLinkRecord, type LinkItem } from './link-item';
export { boundedStoreCalls, DEFAULT_STORE_ATTEMPT_TIMEOUT_MS, isStoreUnavailable, type StoreCallBounds } from './document-client';
export { fromInstallationItem, toInstallationItem } from './installation-item';
export { DynamoDbAppTokenMemory, type DynamoDbAppTokenMemoryOptions } from './dynamodb-app-token-memory';
export { JsonProtocolCalls, type DynamoDbServiceError, type JsonOperation } from './json-protocol-calls';
