export { rebuiltOnRotation } from './rebuilt-on-rotation';
export { parseSecretString, pickSecretFields, sameSecretFields } from './secret-fields';
export { DEFAULT_SECRET_MAX_AGE_MS, SecretsManagerSecretSource, type SecretsManagerSecretSourceOptions } from './secrets-manager-secret-source';
export { slackAppSecretSource } from './slack-app-secret-source';
export { StaticSecretSource } from './static-secret-source';
