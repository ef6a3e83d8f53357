import type { EnvReader } from './env';

/**
 * The Slack app a deployment serves, as the processes that open installations' tokens need it:
 * the worker (to connect) and the workflow tasks (to verify a reinstall). The client credentials
 * renew rotating tokens; the app-level token is what every Socket Mode slot connects with.
 */
export interface SlackAppSecretsConfig {
  appId: string;
  protocol: 'rtm' | 'socket';
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
  const protocol = read.oneOf('LIFELINE_APP_PROTOCOL', ['rtm', 'socket'] as const, 'rtm');
  const config: SlackAppSecretsConfig = {
    appId: read.required('SLACK_APP_ID', 'the Slack app whose installations this deployment holds'),
    protocol,
    clientId: read.required('SLACK_CLIENT_ID', 'OAuth client id, to renew rotating tokens'),
    clientSecret: read.required('SLACK_CLIENT_SECRET', 'OAuth client secret, to renew rotating tokens'),
  };
  // Required only where Socket Mode is the deployment's protocol; used wherever it is given.
  const appToken = protocol === 'socket'
    ? read.required('SLACK_APP_TOKEN', 'the app-level token (xapp-) Socket Mode connects with')
    : read.optional('SLACK_APP_TOKEN');
  if (appToken && !appToken.startsWith('xapp-')) read.problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-...)');
  if (appToken) config.appToken = appToken;
  return config;
}
