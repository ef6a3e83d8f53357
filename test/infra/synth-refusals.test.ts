import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildLifeline } from '../../infra/lifeline-app';
import { lifelineSettingsFromContext } from '../../infra/lifeline-context';
import { SlackDeploymentError } from '../../infra/slack-deployment';
import { CDK_JSON_CONTEXT } from './synth';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lifeline/slack-app-AbCdEf';

/** `cdk synth -c key=value ...`: the same reading of context as infra/app.ts. */
const synth = (context: Record<string, string>) => () => {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], nag: 'false', ...context } });
  buildLifeline(app, lifelineSettingsFromContext(app));
  return app;
};

const failure = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected synth to fail');
};

describe('synth refuses a deployment that could not work, in one message naming both context keys', () => {
  it.each([
    ['no app id', { slackSecretArn: ARN }, /slackAppId is missing/],
    ['no secret', { slackAppId: 'A0123ABCD' }, /slackSecretArn is missing/],
    ['neither', {}, /slackAppId is missing[\s\S]*slackSecretArn is missing/],
    ['a secret given by name', { slackAppId: 'A0123ABCD', slackSecretArn: 'lifeline/slack-app' }, /"lifeline\/slack-app" is a name, not the secret's complete ARN: ECS injects/],
    ['a partial ARN (no 6-character suffix)', { slackAppId: 'A0123ABCD', slackSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lifeline/slack-app' }, /not a complete Secrets Manager secret ARN/],
    ['something that is no app id', { slackAppId: 'lifeline', slackSecretArn: ARN }, /"lifeline" is not a Slack app id/],
  ])('%s', (_, context, problem) => {
    const error = failure(synth(context));

    expect(error).toBeInstanceOf(SlackDeploymentError);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/^Lifeline needs its Slack app to synthesize: give the CDK context keys slackAppId and slackSecretArn\./);
    for (const key of ['slackAppId', 'slackSecretArn']) expect(error.message.split(key).length).toBeGreaterThan(2);
    expect(error.message).toContain('For example: npx cdk synth -c slackAppId=A0123ABCD -c slackSecretArn=arn:aws:secretsmanager:');
  });

  it('names the renamed key when the old slackSecretName is given', () => {
    expect(failure(synth({ slackAppId: 'A0123ABCD', slackSecretName: ARN })).message).toMatch(/slackSecretName is no longer read: pass the secret's complete ARN as slackSecretArn/);
  });

  it("builds both stacks with the app id and the complete ARN, and wires the bot's function and role when both are named", () => {
    const botRole = 'arn:aws:iam::111122223333:role/my-bot';
    const botFunction = 'arn:aws:lambda:us-east-1:111122223333:function:my-bot';
    const app = synth({ slackAppId: 'A0123ABCD', slackSecretArn: ARN, botFunctionArn: botFunction, botRoleArn: botRole })();

    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(['LifelineOrchestrator', 'LifelineStateful']);
    // One synth for both templates (each Template.fromStack would synthesize the app again).
    const assembly = app.synth();
    const tokenKey = (assembly.getStackByName('LifelineStateful').template as { Resources: Record<string, { Properties: { KeyPolicy: unknown } }> }).Resources.LifelineTokenKey!;
    expect(JSON.stringify(tokenKey.Properties.KeyPolicy)).toContain(botRole);
    expect(JSON.stringify(tokenKey.Properties.KeyPolicy)).toContain('"kms:EncryptionContext:app":"A0123ABCD"');
    const orchestrator = JSON.stringify(assembly.getStackByName('LifelineOrchestrator').template);
    expect(orchestrator).toContain(`"Resource":"${botFunction}"`);
    expect(orchestrator).toContain('"Roles":["my-bot"]');
  });

  it('refuses a bot role without the bot function (and the other way round), naming both keys', () => {
    expect(failure(synth({ slackAppId: 'A0123ABCD', slackSecretArn: ARN, botRoleArn: 'arn:aws:iam::111122223333:role/my-bot' })).message)
      .toMatch(/needs both botFunctionArn and botRoleArn:\n {2}- botFunctionArn is missing/);
    expect(failure(synth({ slackAppId: 'A0123ABCD', slackSecretArn: ARN, botFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:my-bot' })).message)
      .toMatch(/botRoleArn is missing/);
  });

  it('refuses an orchestrator stack name too long to name the token openers\' roles within IAM\'s limit', () => {
    expect(failure(synth({ slackAppId: 'A0123ABCD', slackSecretArn: ARN, orchestratorStackName: 'Lifeline'.repeat(5) })).message).toMatch(/too long to name its roles/);
  });
});
