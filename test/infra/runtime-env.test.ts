import { describe, expect, it } from 'vitest';
import { readHttpConfig } from '../../functions/http/config';
import { readSweeperConfig } from '../../functions/sweeper/config';
import { readWorkerConfig } from '../../functions/worker/config';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import { onlyResource, synthLifeline } from './synth';

/** Deploy-time values (references, joins) stand in as an absolute URL: non-empty, and valid where a URL is expected. */
const asDeployed = (variables: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : 'https://resolved.example/token']));

// The entry points read their environment once and fail naming what is missing: the constructs
// must set every key each one requires, or the deployed code would not start.
describe('runtime environment: what the constructs set is what the entry points read', () => {
  const { orchestrator } = synthLifeline({ slack: { appId: 'A0TEST', scopes: ['bot'] } });
  const lambdaEnv = (prefix: string) =>
    asDeployed((onlyResource(orchestrator, 'AWS::Lambda::Function', prefix).properties.Environment as { Variables: Record<string, unknown> }).Variables);

  it.each([
    ['HttpHandler', readHttpConfig],
    ['WorkflowTasksHandler', readWorkflowTasksConfig],
    ['SweeperHandler', readSweeperConfig],
  ] as const)('%s starts with the environment it is given', (prefix, read) => {
    expect(() => read(lambdaEnv(prefix))).not.toThrow();
  });

  it('the worker starts with its task definition environment', () => {
    const [container] = onlyResource(orchestrator, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
    const env = asDeployed(Object.fromEntries(container!.Environment.map((e) => [e.Name, e.Value])));

    expect(readWorkerConfig(env)).toMatchObject({ mode: 'aws', worker: { drainTimeoutMs: 20_000 } });
  });
});
