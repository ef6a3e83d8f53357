export { DynamoDbLinkStore, type DynamoDbLinkStoreOptions } from './dynamodb-link-store';
