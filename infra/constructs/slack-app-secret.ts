import { Annotations, SecretValue } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SlackAppSettings } from './http-endpoint';
import { envKeys } from '../../shared/config/env-keys';

/**
 * The Slack app secret's JSON fields that a process opening installations' tokens needs (the
 * worker, the workflow tasks), by the variable each arrives in: client credentials renew rotating
 * tokens; Socket Mode connects with the app-level token, a field only a Socket Mode app's secret
 * has (asking for a missing field fails the deploy or the task's start).
 */
export function tokenOpenerSecretFields(protocol: SlackAppSettings['protocol']): Record<string, string> {
  return {
    [envKeys.slackClientId]: 'clientId',
    [envKeys.slackClientSecret]: 'clientSecret',
    ...(protocol === 'socket' ? { [envKeys.slackAppToken]: 'appToken' } : {}),
  };
}

/** The app's non-secret settings as the entry points read them. */
export function slackAppEnvironment(settings: SlackAppSettings): Record<string, string> {
  return {
    ...(settings.appId ? { [envKeys.slackAppId]: settings.appId } : {}),
    ...(settings.protocol ? { [envKeys.appProtocol]: settings.protocol } : {}),
  };
}

/**
 * A CloudFormation dynamic reference to one field: resolved at deploy time, so nothing secret is
 * in the template or the cloud assembly. The value does land in the resource's configuration.
 */
export function secretFieldReference(settings: SlackAppSettings, field: string): string {
  return SecretValue.secretsManager(settings.secretName, {
    jsonField: field,
    ...(settings.secretVersionId ? { versionId: settings.secretVersionId } : {}),
  }).unsafeUnwrap();
}

/** ECS can inject a JSON field only from a secret's complete ARN (with its 6-character suffix), never from a name. */
export const isSecretArn = (secretName: string): boolean => secretName.startsWith('arn:');

/** Says, at synth, why a secret given by name ends up resolved into a task definition. */
export function noteSecretByName(scope: Construct, settings: SlackAppSettings): void {
  Annotations.of(scope).addInfo(
    `Slack app secret "${settings.secretName}" is given by name, so the worker's Slack secrets are resolved into its task definition ` +
      'at deploy time. Pass the secret\'s complete ARN (-c slackSecretName=arn:aws:secretsmanager:...:secret:NAME-AbCdEf) and ECS ' +
      'injects them at task start instead, from Secrets Manager, with the execution role reading that one secret.',
  );
}
