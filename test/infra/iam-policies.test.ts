import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthLifeline } from './synth';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
}

/** Every policy document in a template: identity policies, inline role policies, and resource policies. */
function policyDocuments(template: Template): Array<{ where: string; statements: Statement[] }> {
  const documents: Array<{ where: string; statements: Statement[] }> = [];
  const add = (where: string, document: unknown) => {
    const statement = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    if (statement) documents.push({ where, statements: Array.isArray(statement) ? statement : [statement] });
  };
  for (const [id, resource] of Object.entries(resourcesOf(template))) {
    const properties = resource.Properties ?? {};
    add(`${id}.PolicyDocument`, properties.PolicyDocument);
    add(`${id}.KeyPolicy`, properties.KeyPolicy);
    for (const [i, policy] of ((properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).entries()) add(`${id}.Policies[${i}]`, policy.PolicyDocument);
  }
  return documents;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Actions AWS offers no resource-level permission for (service authorization reference): the
 * only ones allowed on `Resource: *`.
 */
const actionsWithoutResourceScope = new Set([
  'ecr:GetAuthorizationToken',
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
]);

/** A resource is scoped when it is a reference to one resource, possibly with a sub-path or qualifier after it. */
function isScoped(resource: unknown): boolean {
  if (typeof resource === 'string') return resource !== '*' && !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
  const json = JSON.stringify(resource);
  // Fn::Join / Fn::GetAtt / Ref / ImportValue: whatever the wildcard tail, it follows a named resource.
  return /"(Ref|Fn::GetAtt|Fn::ImportValue|Fn::Sub)"/.test(json) && !/^\{"Fn::Join":\["",\["arn:[^\]]*\*"\]\]\}$/.test(json);
}

describe('IAM: least privilege across every policy document of both stacks', () => {
  const { stateful, orchestrator } = synthLifeline();
  const documents = [...policyDocuments(stateful), ...policyDocuments(orchestrator)];

  it('finds the policies it walks (roles of 3 Lambdas, the task, 2 workflows, queues, the key, the topic)', () => {
    expect(documents.length).toBeGreaterThanOrEqual(12);
  });

  it('grants no wildcard action anywhere: no `*`, no `service:*`, no `service:Prefix*`', () => {
    const offending = documents.flatMap(({ where, statements }) =>
      statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action).filter((a) => a.includes('*')).map((a) => `${where}: ${a}`)),
    );
    // The table key's account-root statement is CDK's default (`kms:*` for the account, which
    // IAM then narrows); it grants nothing by itself and is the only exception. The token key's
    // policy lists its actions one by one.
    expect(offending.filter((o) => !o.startsWith('LifelineDataKey.KeyPolicy'))).toEqual([]);
  });

  it('scopes every identity-policy resource, except for actions AWS cannot scope', () => {
    const offending: string[] = [];
    for (const { where, statements } of documents) {
      if (where.endsWith('KeyPolicy')) continue;
      for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        for (const resource of asList(statement.Resource)) {
          if (isScoped(resource)) continue;
          const unscopable = asList(statement.Action).every((action) => actionsWithoutResourceScope.has(action));
          if (!unscopable) offending.push(`${where}: ${JSON.stringify(statement.Action)} on ${JSON.stringify(resource)}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('gives KMS to the roles that need it and nobody else: no `Resource: *` KMS grant', () => {
    const kmsGrants = documents.flatMap(({ where, statements }) =>
      statements.filter((s) => asList(s.Action).some((a) => a.startsWith('kms:'))).map((s) => ({ where, resource: JSON.stringify(s.Resource) })),
    );
    const identityGrants = kmsGrants.filter((g) => !g.where.endsWith('KeyPolicy'));
    const holders = (key: string) =>
      [...new Set(identityGrants.filter((g) => g.resource.includes(key)).map((g) => g.where.replace(/RoleDefaultPolicy.*/, '')))].sort();
    expect(holders('LifelineDataKey')).toEqual(['HttpHandler', 'SweeperHandler', 'WorkersTask', 'WorkflowTasksHandler']);
    expect(holders('LifelineTokenKey')).toEqual(['HttpHandler', 'WorkersTask', 'WorkflowTasksHandler']);
    for (const grant of identityGrants) expect(grant.resource).toMatch(/LifelineDataKey|LifelineTokenKey/);
  });
});
