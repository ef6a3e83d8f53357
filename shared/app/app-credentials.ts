import type { SlackAppSecretsConfig } from '../config';
import type { InstallationStore, Logger, SlackOAuthApi, TokenCipher } from '../ports';
import { InstallationCredentials, type AppSecrets } from './installation-credentials';

export interface InstallationCredentialsDeps {
  installations: InstallationStore;
  cipher: TokenCipher;
  slack: SlackOAuthApi;
  clock: { now(): number };
  log: Logger;
}

/** The Credentials port on AWS for one app: tokens from the installation store, app secrets from configuration. */
export function installationCredentialsFor(app: SlackAppSecretsConfig, deps: InstallationCredentialsDeps): InstallationCredentials {
  const secrets: AppSecrets = { client: { clientId: app.clientId, clientSecret: app.clientSecret } };
  if (app.appToken) secrets.appToken = app.appToken;
  return new InstallationCredentials({ ...deps, apps: new Map([[app.appId, secrets]]) });
}
