import type { LinkProtocol } from '../shared/domain';
import { isCompleteSecretArn } from '../shared/schema';
import type { SlackAppSettings } from './constructs/slack-app-secret';

/** The Slack app as given (CDK context or code): checked by `checkSlackDeployment` before anything is built. */
export interface SlackDeploymentInput {
  appId?: string | undefined;
  secretArn?: string | undefined;
  scopes?: readonly string[] | undefined;
  protocol?: LinkProtocol | undefined;
}

const EXAMPLE =
  'npx cdk synth -c slackAppId=A0123ABCD -c slackSecretArn=arn:aws:secretsmanager:us-east-1:111122223333:secret:lifeline/slack-app-AbCdEf';

/** A synth that cannot deploy a working app fails here, in one message that names both context keys. */
export class SlackDeploymentError extends Error {
  readonly code = 'SLACK_DEPLOYMENT_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(
      'Lifeline needs its Slack app to synthesize: give the CDK context keys slackAppId and slackSecretArn.\n' +
        `  - ${problems.join('\n  - ')}\n` +
        `For example: ${EXAMPLE}\n` +
        'README, Deploy, says how to create the secret and find its ARN.',
    );
    this.name = new.target.name;
  }
}

/**
 * The app id is in every process's environment and in the token key's policy; the secret must be
 * given by complete ARN because ECS injects a secret into the worker without resolving its value
 * into the task definition only by ARN, and each Lambda's grant names exactly that secret.
 */
export function checkSlackDeployment(input: SlackDeploymentInput): SlackAppSettings {
  const appId = input.appId?.trim() ?? '';
  const secretArn = input.secretArn?.trim() ?? '';
  const appOk = /^A[A-Z0-9]{2,}$/.test(appId);
  const arnOk = isCompleteSecretArn(secretArn);
  if (appOk && arnOk) {
    return { appId, secretArn, ...(input.scopes ? { scopes: input.scopes } : {}), ...(input.protocol ? { protocol: input.protocol } : {}) };
  }
  const problems = [
    appId === '' ? 'slackAppId is missing: the Slack app\'s id (A…, on the app\'s Basic Information page)'
      : appOk ? `slackAppId is ${appId}` : `slackAppId ${JSON.stringify(appId)} is not a Slack app id (A…)`,
    secretArn === '' ? 'slackSecretArn is missing: the complete ARN of the Slack app secret in Secrets Manager'
      : arnOk ? 'slackSecretArn is a complete ARN'
      : secretArn.startsWith('arn:') ? 'slackSecretArn is not a complete Secrets Manager secret ARN (…:secret:NAME-AbCdEf, with the 6-character suffix)'
      : `slackSecretArn ${JSON.stringify(secretArn)} is a name, not the secret's complete ARN: ECS injects secrets without resolving them into the task definition only by ARN`,
  ];
  throw new SlackDeploymentError(problems);
}
