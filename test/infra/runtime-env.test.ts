import { describe, expect, it } from 'vitest';
import { readEmbeddedConfig } from '../../functions/embedded/config';
import { readHttpConfig } from '../../functions/http/config';
import { readSweeperConfig } from '../../functions/sweeper/config';
import { readWorkerConfig } from '../../functions/worker/config';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import type { SlackDeploymentInput } from '../../infra/slack-deployment';
import { DEFAULT_APP_PROTOCOL } from '../../shared/config';
import { httpEndpointSecretFields, slackAppSecretFields, tokenOpenerSecretFields } from '../../shared/schema';
import { onlyResource, synthLifeline, TEST_SECRET_ARN } from './synth';

/** A Secrets Manager JSON field as it reaches the worker: the app token looks like one, the rest are long opaque strings. */
const standIn = (field: string): string => (field === 'appToken' ? 'xapp-1-A0TEST-stand-in' : `${field}-stand-in-0123456789abcdef0123456789`);

/** Deploy-time values stand in as what they resolve to: references and joins as an absolute URL. */
const asDeployed = (variables: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : 'https://resolved.example/token']));

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

// The entry points read their environment once and fail naming what is missing: the constructs
// must set every key each one requires, or the deployed code would not start.
describe('runtime environment: what the constructs set is what the entry points read', () => {
  describe.each<[string, SlackDeploymentInput]>([
    ['an RTM app', { scopes: ['bot'], protocol: 'rtm' }],
    ['a Socket Mode app', { scopes: ['connections:write'], protocol: 'socket' }],
    ['an app of the default protocol', { scopes: ['connections:write'] }],
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

    it('the Lambdas that need the Slack app secret get its complete ARN, and the sweeper gets nothing of it', () => {
      for (const prefix of ['HttpHandler', 'WorkflowTasksHandler']) {
        const env = lambdaEnv(orchestrator, prefix);
        expect(env.LIFELINE_SLACK_SECRET_ARN).toBe(TEST_SECRET_ARN);
      }
      expect(readHttpConfig(lambdaEnv(orchestrator, 'HttpHandler')).slackSecretArn).toBe(TEST_SECRET_ARN);
      expect(readWorkflowTasksConfig(lambdaEnv(orchestrator, 'WorkflowTasksHandler'))).toMatchObject({
        slackSecretArn: TEST_SECRET_ARN,
        app: { appId: 'A0TEST', protocol },
      });
      expect(JSON.stringify(lambdaEnv(orchestrator, 'SweeperHandler'))).not.toMatch(/SLACK|secretsmanager/);
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

  it('the worker gets exactly the token opener\'s fields through ECS secrets, by complete ARN, never the task definition', () => {
    const { orchestrator } = synthLifeline({ slack: { protocol: 'socket' } });
    const container = workerContainer(orchestrator);

    expect(container.Secrets).toEqual([
      { Name: 'SLACK_CLIENT_ID', ValueFrom: `${TEST_SECRET_ARN}:clientId::` },
      { Name: 'SLACK_CLIENT_SECRET', ValueFrom: `${TEST_SECRET_ARN}:clientSecret::` },
      { Name: 'SLACK_APP_TOKEN', ValueFrom: `${TEST_SECRET_ARN}:appToken::` },
    ]);
    expect(container.Secrets?.map((s) => s.ValueFrom.split(':').at(-3))).toEqual([...tokenOpenerSecretFields('socket')]);
    expect(JSON.stringify(container.Environment)).not.toContain('secretsmanager');
  });

  it('an RTM app asks its secret for no app token: a field the secret lacks would fail the task\'s start', () => {
    const { orchestrator } = synthLifeline({ slack: { scopes: ['bot'], protocol: 'rtm' } });

    expect(workerContainer(orchestrator).Secrets?.map((s) => s.Name)).toEqual(['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET']);
  });

  it('every field a process reads is one the README tells the operator to store', () => {
    const stored = Object.values(slackAppSecretFields);
    for (const field of [...httpEndpointSecretFields, ...tokenOpenerSecretFields('socket')]) expect(stored).toContain(field);
  });
});
