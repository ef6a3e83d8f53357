import { Secret as EcsSecret } from 'aws-cdk-lib/aws-ecs';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DEFAULT_APP_PROTOCOL, envKeys } from '../../shared/config/env-keys';
import type { LinkProtocol } from '../../shared/domain';
import { slackAppSecretFields, tokenOpenerSecretFields, type SlackAppSecretField } from '../../shared/schema';

/** The Slack app a deployment serves: its id and settings, and its secret by complete ARN. */
export interface SlackAppSettings {
  readonly appId: string;
  /** Bot scopes asked for at install (`bot` for a classic RTM app). */
  readonly scopes?: readonly string[];
  /** Unset: `DEFAULT_APP_PROTOCOL`, written into every process's environment (`slackAppEnvironment`). */
  readonly protocol?: LinkProtocol;
  /**
   * The complete ARN (with Secrets Manager's 6-character suffix) of the secret the operator
   * creates before deploying: one JSON object with the fields of `slackAppSecretFields`.
   */
  readonly secretArn: string;
}

/** The variable each field reaches the worker in (ECS `secrets`); its config reader reads these names. */
const workerVariables: Record<SlackAppSecretField, string | undefined> = {
  clientId: envKeys.slackClientId,
  clientSecret: envKeys.slackClientSecret,
  appToken: envKeys.slackAppToken,
  signingSecret: undefined,
  stateSecret: undefined,
};

export function slackAppSecret(scope: Construct, settings: SlackAppSettings): ISecret {
  return Secret.fromSecretCompleteArn(scope, 'SlackAppSecret', settings.secretArn);
}

/**
 * The app's non-secret settings as the entry points read them. The protocol is always set, its
 * default resolved here from the one table, so the template says what the processes will do.
 */
export function slackAppIdentityEnvironment(settings: SlackAppSettings): Record<string, string> {
  return {
    [envKeys.slackAppId]: settings.appId,
    [envKeys.appProtocol]: settings.protocol ?? DEFAULT_APP_PROTOCOL,
  };
}

/** The app's non-secret settings, and where its secret is: all a Lambda's environment says about Slack. */
export function slackAppEnvironment(settings: SlackAppSettings): Record<string, string> {
  return {
    ...slackAppIdentityEnvironment(settings),
    [envKeys.slackSecretArn]: settings.secretArn,
  };
}

/**
 * A Lambda reads the secret itself, at run time (`SecretsManagerSecretSource`): `GetSecretValue`
 * on this one secret and nothing else (no `DescribeSecret`, no other secret).
 */
export function grantSecretRead(grantee: IGrantable, secret: ISecret): void {
  Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [secret.secretArn] });
}

/**
 * The worker's Slack secrets as ECS `secrets`: ECS reads each JSON field from the complete ARN
 * at task start, with the execution role, and never writes the value into the task definition.
 * Unpinned, so the next task started after a rotation gets the new value.
 */
export function workerSlackSecrets(secret: ISecret, protocol: SlackAppSettings['protocol']): Record<string, EcsSecret> {
  return Object.fromEntries(
    tokenOpenerSecretFields(protocol ?? DEFAULT_APP_PROTOCOL).map((field) => [workerVariables[field] ?? field, EcsSecret.fromSecretsManager(secret, slackAppSecretFields[field])]),
  );
}
