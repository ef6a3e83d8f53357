import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildLifeline } from '../../infra/lifeline-app';

const unbundled = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

describe('cdk-nag AwsSolutions', () => {
  it('passes on the whole app: every finding is fixed or acknowledged with a reason', () => {
    const app = unbundled();
    buildLifeline(app, { alarmEmail: 'oncall@example.com', slack: { appId: 'A0TEST', scopes: ['bot'] } });

    expect(() => app.synth()).not.toThrow();
  });

  it('passes for a Socket Mode app whose secret ECS injects by complete ARN (the worker\'s execution role reads it)', () => {
    const app = unbundled();
    const secretName = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
    buildLifeline(app, { slack: { appId: 'A0TEST', protocol: 'socket', scopes: ['connections:write'], secretName } });

    expect(() => app.synth()).not.toThrow();
  });

  it('is really on: an unencrypted queue without a DLQ fails synth', () => {
    const app = unbundled();
    const { orchestrator } = buildLifeline(app);
    new Queue(orchestrator, 'Careless', { enforceSSL: false });

    expect(() => app.synth()).toThrow(/Validation failed|AwsSolutions/);
  });
});
