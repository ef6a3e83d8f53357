/**
 * Turns a synthesized state machine's `DefinitionString` and `DefinitionSubstitutions` (strings,
 * `Fn::Join`s, `Ref`s and `Fn::GetAtt`s) into plain ASL JSON, with placeholder ARNs and URLs for
 * the resources they reference, as CloudFormation and Step Functions would at deploy. Only what
 * the link workflows' templates use is known; any other intrinsic throws, so a construct change
 * that introduces one fails loudly here instead of comparing a definition that means something else.
 */
import { substituteDefinition } from '../../shared/adapters/stepfunctions';

export const PLACEHOLDER = { partition: 'aws', region: 'us-east-1', account: '123456789012', urlSuffix: 'amazonaws.com' } as const;

interface TemplateResource {
  Type: string;
}
export type TemplateResources = Record<string, TemplateResource>;

const pseudo: Record<string, string> = {
  'AWS::Partition': PLACEHOLDER.partition,
  'AWS::Region': PLACEHOLDER.region,
  'AWS::AccountId': PLACEHOLDER.account,
  'AWS::URLSuffix': PLACEHOLDER.urlSuffix,
};

const { partition, region, account, urlSuffix } = PLACEHOLDER;

/** What `Ref` returns, per resource type (CloudFormation's documented return values). */
const refOf = (logicalId: string, type: string): string => {
  switch (type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.${urlSuffix}/${account}/${logicalId}`;
    case 'AWS::Lambda::Function':
    case 'AWS::Logs::LogGroup':
      return logicalId;
    default:
      throw new Error(`resolver: Ref to a ${type} (${logicalId}) is not known`);
  }
};

const arnOf = (logicalId: string, type: string): string => {
  switch (type) {
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${logicalId}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${logicalId}`;
    default:
      throw new Error(`resolver: Fn::GetAtt Arn of a ${type} (${logicalId}) is not known`);
  }
};

function resolve(value: unknown, resources: TemplateResources): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, resources));
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, arg] = entries[0] ?? [];
  if (entries.length !== 1 || !key?.startsWith('Fn::') && key !== 'Ref') {
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, resources)]));
  }
  const typeOf = (logicalId: string): string => {
    const resource = resources[logicalId];
    if (!resource) throw new Error(`resolver: ${logicalId} is not a resource of the template`);
    return resource.Type;
  };
  switch (key) {
    case 'Ref': {
      const name = arg as string;
      return pseudo[name] ?? refOf(name, typeOf(name));
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = arg as [string, string];
      if (attribute === 'Arn') return arnOf(logicalId, typeOf(logicalId));
      if (attribute === 'QueueName' && typeOf(logicalId) === 'AWS::SQS::Queue') return logicalId;
      throw new Error(`resolver: Fn::GetAtt ${logicalId}.${attribute} is not known`);
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => String(resolve(part, resources))).join(separator);
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') throw new Error('resolver: Fn::Sub with a variable map is not known');
      return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        const [logicalId, attribute] = name.split('.');
        return String(resolve(attribute ? { 'Fn::GetAtt': [logicalId, attribute] } : { Ref: name }, resources));
      });
    }
    default:
      throw new Error(`resolver: intrinsic ${key} is not known`);
  }
}

/** The plain ASL of a state machine's `DefinitionString`, its `${…}` variables replaced by the resolved `DefinitionSubstitutions`. */
export function resolveDefinitionString(definitionString: unknown, resources: TemplateResources, substitutions: Record<string, unknown> = {}): Record<string, unknown> {
  const text = resolve(definitionString, resources);
  if (typeof text !== 'string') throw new Error('resolver: a DefinitionString must resolve to a string');
  return substituteDefinition(JSON.parse(text) as Record<string, unknown>, resolveSubstitutions(substitutions, resources));
}

/** A state machine's `DefinitionSubstitutions`, each value resolved to the string it deploys as. */
export function resolveSubstitutions(substitutions: Record<string, unknown>, resources: TemplateResources): Record<string, string> {
  return Object.fromEntries(Object.entries(substitutions).map(([name, value]) => [name, String(resolve(value, resources))]));
}
