import { LINK_PROTOCOLS, type LinkProtocol } from '../domain';
import type { EnvReader } from './env';
import { ENV } from './env-keys';

/**
 * The Slack app a deployment serves, as the processes that open installations' tokens need it:
 * the worker (to connect) and the workflow tasks (to verify a reinstall). The client credentials
 * renew rotating tokens; the app-level token is what every Socket Mode slot connects with.
 */
export interface SlackAppSecretsConfig {
  appId: string;
  protocol: LinkProtocol;
  clientId: string;
  clientSecret: string;
  /** Socket Mode only (`xapp-`). */
  appToken?: string;
}

/**
 * Reads the app's identity and secrets into `read`'s problem list, so a caller's one ConfigError
 * names every missing key. Problems name keys only, never values: these are secrets.
 */
export function readSlackAppSecrets(read: EnvReader): SlackAppSecretsConfig {
  const protocol = read.oneOf(ENV.appProtocol, LINK_PROTOCOLS);
  const config: SlackAppSecretsConfig = {
    appId: read.required(ENV.slackAppId),
    protocol,
    clientId: read.required(ENV.slackClientId),
    clientSecret: read.required(ENV.slackClientSecret),
  };
  // Required only where Socket Mode is the deployment's protocol; used wherever it is given.
  const appToken = protocol === 'socket' ? read.required(ENV.slackAppToken) : read.optional(ENV.slackAppToken);
  if (appToken && !appToken.startsWith('xapp-')) read.problems.push(`${ENV.slackAppToken.name} must be an app-level token (xapp-...)`);
  if (appToken) config.appToken = appToken;
  return config;
}
