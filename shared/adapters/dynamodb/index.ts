export { DynamoDbLinkStore, type DynamoDbLinkStoreOptions } from './dynamodb-link-store';
export { DynamoDbWorkerRegistry, type DynamoDbWorkerRegistryOptions } from './dynamodb-worker-registry';
export { DynamoDbEventDedupe, type DynamoDbEventDedupeOptions } from './dynamodb-event-dedupe';
export { DynamoDbInstallationStore, type DynamoDbInstallationStoreOptions } from './dynamodb-installation-store';
export { toLinkRecord, type LinkItem } from './link-item';
