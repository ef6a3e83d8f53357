import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { onlyResource, resourcesOf, synthLifeline } from './synth';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';

/** Deploy-time values as CloudFormation would render them in eu-west-1, account 111122223333. */
function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return ({ 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws' } as Record<string, string>)[object.Ref as string] ?? `<${String(object.Ref)}>`;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    if ('Fn::ImportValue' in object) return `<import ${String(object['Fn::ImportValue'])}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, render(v)]));
  }
  return value;
}

/** What KMS sees of a call: who asks, for what, with which encryption context. */
interface KmsRequest {
  principalArn: string;
  action: string;
  encryptionContext: Record<string, string>;
}

/**
 * IAM's evaluation of one Allow statement's conditions, for the operators the token key uses.
 * Throws on any other operator, so a policy change cannot slip past this test unevaluated.
 */
function conditionsHold(conditions: Statement['Condition'], request: KmsRequest): boolean {
  const contextKey = (key: string): string | string[] | undefined => {
    if (key === 'aws:PrincipalArn') return request.principalArn;
    if (key === 'kms:EncryptionContextKeys') return Object.keys(request.encryptionContext);
    if (key.startsWith('kms:EncryptionContext:')) return request.encryptionContext[key.slice('kms:EncryptionContext:'.length)];
    throw new Error(`condition key ${key} not modelled`);
  };
  return Object.entries(conditions ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => {
      const allowed = asList(expected as string | string[]);
      const actual = contextKey(key);
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return typeof actual === 'string' && allowed.includes(actual);
        case 'Null':
          return (actual === undefined) === (expected === 'true');
        case 'ForAllValues:StringEquals':
          return asList(actual).every((value) => allowed.includes(value));
        default:
          throw new Error(`condition operator ${operator} not modelled`);
      }
    }),
  );
}

const allows = (statements: Statement[], request: KmsRequest): boolean =>
  statements.some((s) => s.Effect === 'Allow' && asList(s.Action).includes(request.action) && conditionsHold(s.Condition, request));

/** The encryption context KmsEnvelopeCipher really sends, for a bot token and a refresh token. */
async function cipherContexts(): Promise<Array<{ action: string; encryptionContext: Record<string, string> }>> {
  const kms = mockClient(KMSClient);
  kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(32).fill(1), CiphertextBlob: new Uint8Array([9, 9]) });
  kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(32).fill(1) });
  const cipher = new KmsEnvelopeCipher({ client: new KMSClient({ region: REGION }), keyId: 'token-key' });
  for (const purpose of ['bot_token', 'refresh_token'] as const) {
    const context = { appId: 'A0TEST', installId: 'T0TEAM', purpose };
    await cipher.decrypt(await cipher.encrypt('sealed-in-test', context), context);
  }
  const calls = [...kms.commandCalls(GenerateDataKeyCommand), ...kms.commandCalls(DecryptCommand)].map((call) => ({
    action: call.args[0] instanceof GenerateDataKeyCommand ? 'kms:GenerateDataKey' : 'kms:Decrypt',
    encryptionContext: call.args[0].input.EncryptionContext ?? {},
  }));
  kms.restore();
  return calls;
}

describe('the token key: only the roles that open tokens, only under the cipher\'s context', () => {
  const botRole = 'arn:aws:iam::111122223333:role/my-bot';
  const { stateful, orchestrator } = synthLifeline({ tokenOpenerRoleArns: [botRole] });
  const tokenKey = onlyResource(stateful, 'AWS::KMS::Key', 'LifelineTokenKey');
  const keyPolicy = render((tokenKey.properties.KeyPolicy as { Statement: Statement[] }).Statement) as Statement[];
  const roles = Object.fromEntries(
    Object.entries(resourcesOf(orchestrator))
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties?.RoleName === undefined ? undefined : `arn:aws:iam::${ACCOUNT}:role/${String(render(r.Properties.RoleName))}`]),
  );
  /** A role's identity-policy statements, rendered. */
  const policyOf = (roleId: string): Statement[] =>
    Object.entries(resourcesOf(orchestrator))
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(`${roleId}DefaultPolicy`))
      .flatMap(([, r]) => render((r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement) as Statement[]);
  const openers = { WorkersTaskRole: roles.WorkersTaskRole, WorkflowTasksHandlerRole: roles.WorkflowTasksHandlerRole, HttpHandlerRole: roles.HttpHandlerRole };
  let contexts: Awaited<ReturnType<typeof cipherContexts>>;

  beforeAll(async () => {
    contexts = await cipherContexts();
  });

  it('is its own key, not the table\'s: administered by the account, used by no one the policy does not name', () => {
    expect(keyPolicy.map((s) => s.Sid)).toEqual(['AdministerWithoutUse', 'OpenAndSealSlackTokens']);
    const [admin, use] = keyPolicy as [Statement, Statement];
    expect(admin.Condition).toBeUndefined();
    for (const action of asList(admin.Action)) expect(action).not.toMatch(/\*|Decrypt|Encrypt|GenerateDataKey|CreateGrant/);
    expect(asList(use.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(keyPolicy.every((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === JSON.stringify({ AWS: `arn:aws:iam::${ACCOUNT}:root` }))).toBe(true);
  });

  it('names the worker task, workflow-task and HTTP roles by the names they are created with, and the bot role given', () => {
    const named = keyPolicy[1]!.Condition?.ArnEquals?.['aws:PrincipalArn'];

    expect(Object.values(openers).every(Boolean)).toBe(true);
    expect(named).toEqual([...Object.values(openers), botRole]);
    expect(roles.SweeperHandlerRole).toBeUndefined();
  });

  it('admits exactly the context the cipher sends, for every call it makes', () => {
    expect(contexts.map((c) => c.action).sort()).toEqual(['kms:Decrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey']);
    for (const principalArn of [...Object.values(openers), botRole]) {
      for (const call of contexts) expect(allows(keyPolicy, { principalArn: principalArn!, ...call })).toBe(true);
    }
    // The condition's keys are the cipher's keys, no more, no fewer.
    expect(keyPolicy[1]!.Condition?.['ForAllValues:StringEquals']?.['kms:EncryptionContextKeys']).toEqual(Object.keys(contexts[0]!.encryptionContext).sort());
  });

  it('refuses another role, another app, a foreign purpose, an extra or a missing context key', () => {
    const worker = openers.WorkersTaskRole!;
    const context = contexts[0]!.encryptionContext;
    const refused: KmsRequest[] = [
      // The sweeper's role (its name is generated), and the worker's role of the same stacks in another region.
      { principalArn: `arn:aws:iam::${ACCOUNT}:role/LifelineOrchestrator-SweeperHandlerRole-AbC123`, action: 'kms:Decrypt', encryptionContext: context },
      { principalArn: `arn:aws:iam::${ACCOUNT}:role/LifelineOrchestrator-worker-task-us-east-1`, action: 'kms:Decrypt', encryptionContext: context },
      { principalArn: worker, action: 'kms:Decrypt', encryptionContext: { ...context, app: 'A0OTHER' } },
      { principalArn: worker, action: 'kms:Decrypt', encryptionContext: { ...context, purpose: 'user_token' } },
      { principalArn: worker, action: 'kms:Decrypt', encryptionContext: { ...context, extra: 'x' } },
      { principalArn: worker, action: 'kms:Decrypt', encryptionContext: { app: context.app!, purpose: context.purpose! } },
      { principalArn: worker, action: 'kms:Decrypt', encryptionContext: {} },
      { principalArn: worker, action: 'kms:ReEncryptFrom', encryptionContext: context },
      { principalArn: worker, action: 'kms:CreateGrant', encryptionContext: context },
    ];

    expect(refused.filter((request) => allows(keyPolicy, request))).toEqual([]);
  });

  it('gives each opener the same two calls on the token key under the same context in its own policy, and the sweeper none', () => {
    const onTokenKey = (roleId: string) => policyOf(roleId).filter((s) => JSON.stringify(s.Resource).includes('LifelineTokenKey'));
    for (const roleId of Object.keys(openers)) {
      const grants = onTokenKey(roleId);
      expect(grants).toHaveLength(1);
      expect(asList(grants[0]!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      const { ArnEquals: _, ...contextConditions } = keyPolicy[1]!.Condition ?? {};
      expect(grants[0]!.Condition).toEqual(contextConditions);
      for (const call of contexts) expect(allows(grants, { principalArn: openers[roleId as keyof typeof openers]!, ...call })).toBe(true);
    }
    expect(onTokenKey('SweeperHandlerRole')).toEqual([]);
    expect(policyOf('SweeperHandlerRole').filter((s) => asList(s.Action).includes('kms:Decrypt')).every((s) => JSON.stringify(s.Resource).includes('LifelineDataKey'))).toBe(true);
  });

  it('lets every role use the table key only through DynamoDB in its own region', () => {
    const tableKeyGrants = ['WorkersTaskRole', 'WorkflowTasksHandlerRole', 'HttpHandlerRole', 'SweeperHandlerRole'].map((roleId) =>
      policyOf(roleId).filter((s) => JSON.stringify(s.Resource).includes('LifelineDataKey')),
    );
    for (const grants of tableKeyGrants) {
      expect(grants).toHaveLength(1);
      expect(grants[0]!.Condition).toEqual({ StringEquals: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` } });
    }
  });
});
