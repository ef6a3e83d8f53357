import type { LinkProtocol } from '../domain';

/**
 * The Slack app secret the operator stores in Secrets Manager before deploying (README: Deploy):
 * one JSON object with these fields. Defined once, for the constructs (which fields ECS injects
 * into the worker) and the entry points (which fields each Lambda reads), so the two cannot drift.
 */
export const slackAppSecretFields = {
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  signingSecret: 'signingSecret',
  /** 32+ random characters; signs OAuth `state` values. Lifeline's own, not Slack's. */
  stateSecret: 'stateSecret',
  /** Socket Mode apps only: the app-level token (`xapp-`). */
  appToken: 'appToken',
} as const;

export type SlackAppSecretField = keyof typeof slackAppSecretFields;

/** What the OAuth and Events endpoint reads. */
export const httpEndpointSecretFields: readonly SlackAppSecretField[] = ['clientId', 'clientSecret', 'signingSecret', 'stateSecret'];

/**
 * What a process that opens installations' tokens reads (the worker, the workflow tasks): client
 * credentials renew rotating tokens; a Socket Mode app's slots connect with its app token, a
 * field only a Socket Mode app's secret has.
 */
export const tokenOpenerSecretFields = (protocol: LinkProtocol): readonly SlackAppSecretField[] =>
  protocol === 'socket' ? ['clientId', 'clientSecret', 'appToken'] : ['clientId', 'clientSecret'];

/**
 * A secret's complete ARN: with the 6-character suffix Secrets Manager adds to the name. ECS
 * injects a secret into a container without resolving it into the task definition only by this
 * ARN, and a Lambda's grant is scoped to exactly this one secret.
 */
export const isCompleteSecretArn = (value: string): boolean =>
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/.test(value);
