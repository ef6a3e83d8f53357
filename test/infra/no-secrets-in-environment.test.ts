import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { isCompleteSecretArn } from '../../shared/schema';
import { resourcesOf, synthLifeline } from './synth';

interface Entry {
  where: string;
  name: string;
  value: unknown;
}

/** Every environment entry of every Lambda (`Environment.Variables`) and every container (`Environment`). */
function environmentEntries(template: Template): Entry[] {
  const entries: Entry[] = [];
  for (const [id, resource] of Object.entries(resourcesOf(template))) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Function') {
      const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      for (const [name, value] of Object.entries(variables)) entries.push({ where: id, name, value });
    }
    if (resource.Type === 'AWS::ECS::TaskDefinition') {
      for (const container of (properties.ContainerDefinitions as Array<{ Name: string; Environment?: Array<{ Name: string; Value: unknown }> }>) ?? []) {
        for (const { Name, Value } of container.Environment ?? []) entries.push({ where: `${id}/${container.Name}`, name: Name, value: Value });
      }
    }
  }
  return entries;
}

/** Slack credentials and long opaque strings: what a secret looks like when it lands in configuration. */
const SECRET_SHAPES = [/xox[abpres]-/, /xapp-/, /^[A-Za-z0-9+/=_-]{32,}$/, /^[0-9a-f]{32,}$/i];
/** Names that say "secret" are allowed only for where a secret is: its complete ARN. */
const SECRET_NAMES = /SECRET|TOKEN|PASSWORD|SIGNING|CLIENT_ID|PRIVATE/i;

/** Why an entry holds a secret or a reference to one, or undefined when it does not. */
function secretProblem({ name, value }: Entry): string | undefined {
  const json = JSON.stringify(value);
  // A dynamic reference resolves the value into the resource's configuration at deploy time.
  if (json.includes('{{resolve:')) return 'holds a dynamic reference ({{resolve:...}})';
  if (typeof value === 'string') {
    if (SECRET_SHAPES.some((shape) => shape.test(value)) && !isCompleteSecretArn(value)) return 'holds a secret-looking value';
    if (SECRET_NAMES.test(name) && !isCompleteSecretArn(value)) return 'is named like a secret and holds something other than a secret ARN';
  } else if (SECRET_NAMES.test(name)) {
    return 'is named like a secret and holds a deploy-time value';
  }
  return undefined;
}

describe('no Lambda or task definition environment holds a secret or a reference to one', () => {
  // Synthesized while the suite is collected, as the other template tests do: the walk is the test.
  const apps = [
    ['an RTM app', synthLifeline({ slack: { scopes: ['bot'], protocol: 'rtm' } })],
    ['a Socket Mode app', synthLifeline({ slack: { scopes: ['connections:write'], protocol: 'socket' } })],
  ] as const;

  it.each(apps)('%s: every entry of both stacks', (_, { stateful, orchestrator }) => {
    const entries = [...environmentEntries(stateful), ...environmentEntries(orchestrator)];

    // Three Lambdas and the worker container are walked, not nothing.
    expect(new Set(entries.map((e) => e.where.replace(/[0-9A-F]{8}(\/|$)/, '$1'))).size).toBe(4);
    expect(entries.length).toBeGreaterThan(25);
    expect(entries.map((e) => ({ at: `${e.where} ${e.name}`, problem: secretProblem(e) })).filter((e) => e.problem)).toEqual([]);
    // What a process needs of the Slack app secret, it finds by ARN.
    expect(entries.filter((e) => e.name === 'LIFELINE_SLACK_SECRET_ARN').map((e) => e.where.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'HttpHandlerFunction',
      'WorkflowTasksHandlerFunction',
    ]);
  });

  it('the walk would catch each way a secret used to land there', () => {
    const planted: Entry[] = [
      { where: 'Fn', name: 'SLACK_CLIENT_SECRET', value: '{{resolve:secretsmanager:lifeline/slack-app:SecretString:clientSecret::}}' },
      { where: 'Fn', name: 'ANYTHING', value: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'X' }, ':SecretString:a::}}']] } },
      { where: 'Fn', name: 'BOT', value: 'xoxb-1-2-abc' },
      { where: 'Fn', name: 'APP', value: 'xapp-1-A0-1-abc' },
      { where: 'Fn', name: 'KEY', value: '8f2b6c1e9a7d4b3f8e2c1a9b7d6e5f4a' },
      { where: 'Fn', name: 'LIFELINE_STATE_SECRET', value: 'short' },
      { where: 'Fn', name: 'LIFELINE_SLACK_SECRET_ARN', value: 'lifeline/slack-app' },
      { where: 'Fn', name: 'SLACK_SIGNING_SECRET', value: { Ref: 'SomeParameter' } },
    ];

    expect(planted.filter((e) => secretProblem(e) === undefined)).toEqual([]);
    expect(secretProblem({ where: 'Fn', name: 'LIFELINE_SLACK_SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf' })).toBeUndefined();
    expect(secretProblem({ where: 'Fn', name: 'LIFELINE_TABLE_NAME', value: { Ref: 'Table' } })).toBeUndefined();
  });
});
