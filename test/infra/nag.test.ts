import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildLifeline } from '../../infra/lifeline-app';
import { CDK_JSON_CONTEXT, withTestSlack } from './synth';

const unbundled = () => new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });

describe('cdk-nag AwsSolutions', () => {
  it('passes on the whole app: every finding is fixed or acknowledged with a reason', () => {
    const app = unbundled();
    buildLifeline(app, withTestSlack({ alarmEmail: 'oncall@example.com', slack: { scopes: ['bot'] } }));

    expect(() => app.synth()).not.toThrow();
  });

  it('passes for a Socket Mode app (its app token, too, injected by ECS from the complete ARN)', () => {
    const app = unbundled();
    buildLifeline(app, withTestSlack({ slack: { protocol: 'socket', scopes: ['connections:write'] } }));

    expect(() => app.synth()).not.toThrow();
  });

  it("passes with a bot in its own Lambda (its imported role's policy, the invoke grants)", () => {
    const app = unbundled();
    buildLifeline(app, withTestSlack({
      slack: { protocol: 'socket', scopes: ['connections:write'] },
      bot: { functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot', roleArn: 'arn:aws:iam::111122223333:role/my-bot' },
    }));

    expect(() => app.synth()).not.toThrow();
  });

  it('is really on: an unencrypted queue without a DLQ fails synth', () => {
    const app = unbundled();
    const { orchestrator } = buildLifeline(app, withTestSlack());
    new Queue(orchestrator, 'Careless', { enforceSSL: false });

    expect(() => app.synth()).toThrow(/Validation failed|AwsSolutions/);
  });
});
