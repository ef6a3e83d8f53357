import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The Slack app's credentials (client id, client secret, signing secret), pasted in by the operator
 * after the first deploy. Created with placeholders and a generated `stateSecret` (signs OAuth
 * `state`), so nothing secret ever passes through CloudFormation or context.
 */
export class SlackAppSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Lifeline: Slack app clientId, clientSecret, signingSecret (set after deploy); stateSecret (generated)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ clientId: 'SET_ME', clientSecret: 'SET_ME', signingSecret: 'SET_ME' }),
        generateStringKey: 'stateSecret',
        passwordLength: 48,
        excludePunctuation: true,
      },
      // Credentials of a live Slack app: a stack deletion must not lose them silently.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
