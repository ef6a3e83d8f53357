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
