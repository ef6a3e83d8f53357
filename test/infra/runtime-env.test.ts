import { describe, expect, it } from 'vitest';
import { readEmbeddedConfig } from '../../functions/embedded/config';
import { readHttpConfig } from '../../functions/http/config';
import { readSweeperConfig } from '../../functions/sweeper/config';
import { readWorkerConfig } from '../../functions/worker/config';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import type { SlackAppSettings } from '../../infra/constructs/http-endpoint';
import { DEFAULT_APP_PROTOCOL } from '../../shared/config';
import { onlyResource, synthLifeline } from './synth';

/** A Secrets Manager JSON field as it reaches the process: the app token looks like one, the rest are long opaque strings. */
const standIn = (field: string): string => (field === 'appToken' ? 'xapp-1-A0TEST-stand-in' : `${field}-stand-in-0123456789abcdef0123456789`);
const DYNAMIC_REFERENCE = /^\{\{resolve:secretsmanager:.+:SecretString:(\w+)::\}\}$/;

/** Deploy-time values stand in as what they resolve to: secrets by field, references and joins as an absolute URL. */
const asDeployed = (variables: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(variables).map(([key, value]) => {
      if (typeof value !== 'string') return [key, 'https://resolved.example/token'];
      const field = DYNAMIC_REFERENCE.exec(value)?.[1];
      return [key, field ? standIn(field) : value];
    }),
  );

interface Container {
  Environment: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: string }>;
}

type Synthesized = ReturnType<typeof synthLifeline>['orchestrator'];

const lambdaEnv = (template: Synthesized, prefix: string) =>
  asDeployed((onlyResource(template, 'AWS::Lambda::Function', prefix).properties.Environment as { Variables: Record<string, unknown> }).Variables);

const workerContainer = (template: Synthesized): Container =>
  (onlyResource(template, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Container[])[0]!;

/** The container's environment at start: its variables, plus each ECS secret injected from its JSON field. */
const workerEnv = (container: Container): Record<string, string> => ({
  ...asDeployed(Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]))),
  ...Object.fromEntries((container.Secrets ?? []).map((s) => [s.Name, standIn(s.ValueFrom.split(':').at(-3)!)])),
});

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';

// The entry points read their environment once and fail naming what is missing: the constructs
// must set every key each one requires, or the deployed code would not start.
describe('runtime environment: what the constructs set is what the entry points read', () => {
  describe.each<[string, Partial<SlackAppSettings>]>([
    ['an RTM app, secret by name', { appId: 'A0TEST', scopes: ['bot'], protocol: 'rtm' }],
    ['a Socket Mode app, secret by complete ARN', { appId: 'A0TEST', scopes: ['connections:write'], protocol: 'socket', secretName: secretArn }],
    ['an app of the default protocol, secret by name', { appId: 'A0TEST', scopes: ['connections:write'] }],
  ])('%s', (_, slack) => {
    const { orchestrator } = synthLifeline({ slack });
    const protocol = slack.protocol ?? DEFAULT_APP_PROTOCOL;

    it.each([
      ['HttpHandler', readHttpConfig],
      ['WorkflowTasksHandler', readWorkflowTasksConfig],
      ['SweeperHandler', readSweeperConfig],
    ] as const)('%s starts with the environment it is given', (prefix, read) => {
      expect(() => read(lambdaEnv(orchestrator, prefix))).not.toThrow();
    });

    it('the worker starts in aws mode with its task definition environment and secrets', () => {
      const config = readWorkerConfig(workerEnv(workerContainer(orchestrator)));

      expect(config).toMatchObject({ mode: 'aws', worker: { drainTimeoutMs: 20_000 } });
      if (config.mode !== 'aws') throw new Error('unreachable');
      expect(config.aws.app).toMatchObject({ appId: 'A0TEST', protocol, clientId: standIn('clientId'), clientSecret: standIn('clientSecret') });
      expect(config.aws.app.appToken).toBe(protocol === 'socket' ? standIn('appToken') : undefined);
    });

    it('the workflow tasks get the same app secrets, so VerifyToken opens the token a worker would use', () => {
      const config = readWorkflowTasksConfig(lambdaEnv(orchestrator, 'WorkflowTasksHandler'));

      expect(config.app).toMatchObject({ appId: 'A0TEST', protocol, clientSecret: standIn('clientSecret') });
      expect(config.app.appToken).toBe(protocol === 'socket' ? standIn('appToken') : undefined);
    });

    it('the HTTP handler installs for the same protocol the worker connects with', () => {
      expect(readHttpConfig(lambdaEnv(orchestrator, 'HttpHandler')).app.protocol).toBe(protocol);
    });
  });

  it('npm start and the deployed processes default to the same protocol, and the constructs say it', () => {
    const { orchestrator } = synthLifeline({ slack: { appId: 'A0TEST', scopes: ['connections:write'] } });
    expect(lambdaEnv(orchestrator, 'HttpHandler').LIFELINE_APP_PROTOCOL).toBe(DEFAULT_APP_PROTOCOL);
    expect(workerEnv(workerContainer(orchestrator)).LIFELINE_APP_PROTOCOL).toBe(DEFAULT_APP_PROTOCOL);
    const realSlack = { SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 's', SLACK_SIGNING_SECRET: 'g', SLACK_APP_TOKEN: 'xapp-1-A0TEST-x', SLACK_APP_ID: 'A0TEST' };
    const embedded = readEmbeddedConfig(realSlack, '/tmp');
    expect(embedded.slack.mode === 'real' && embedded.slack.app.protocol).toBe(DEFAULT_APP_PROTOCOL);
    const { LIFELINE_APP_PROTOCOL: _, ...withoutProtocol } = lambdaEnv(orchestrator, 'WorkflowTasksHandler');
    expect(readWorkflowTasksConfig(withoutProtocol).app.protocol).toBe(DEFAULT_APP_PROTOCOL);
  });

  it('a secret given by complete ARN reaches the worker through ECS secrets only, never the task definition', () => {
    const { orchestrator } = synthLifeline({ slack: { appId: 'A0TEST', protocol: 'socket', secretName: secretArn } });
    const container = workerContainer(orchestrator);

    expect(container.Secrets).toEqual([
      { Name: 'SLACK_CLIENT_ID', ValueFrom: `${secretArn}:clientId::` },
      { Name: 'SLACK_CLIENT_SECRET', ValueFrom: `${secretArn}:clientSecret::` },
      { Name: 'SLACK_APP_TOKEN', ValueFrom: `${secretArn}:appToken::` },
    ]);
    expect(JSON.stringify(container.Environment)).not.toContain('secretsmanager');
  });

  it('an RTM app asks its secret for no app token: a field the secret lacks would fail the deploy', () => {
    const { orchestrator } = synthLifeline({ slack: { appId: 'A0TEST', scopes: ['bot'], protocol: 'rtm' } });
    const names = [...workerContainer(orchestrator).Environment.map((e) => e.Name), ...Object.keys(lambdaEnv(orchestrator, 'WorkflowTasksHandler'))];

    expect(names).not.toContain('SLACK_APP_TOKEN');
  });
});
