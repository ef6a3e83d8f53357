export { appTokenKey, eventKey, installationKey, linkKey, workerKey, workersPartition, type ItemKey } from './keys';
export {
  linkIndexAttributes,
  linkTable,
  type IndexDefinition,
  type KeyAttribute,
  type LinkIndexName,
  type ScalarType,
} from './link-table';
export { linkTableCreateInput } from './create-table-input';
export { httpEndpointSecretFields, isCompleteSecretArn, slackAppSecretFields, tokenOpenerSecretFields, type SlackAppSecretField } from './slack-app-secret';
