import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHttpConfig } from '../../functions/http/config';
import { readWorkerConfig } from '../../functions/worker/config';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { envKeys } from '../../shared/config';
import { onlyResource, resourcesOf, synthLifeline } from './synth';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/my-bot-role';
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

type Synthesized = ReturnType<typeof synthLifeline>;
/** Every identity-policy statement of a role's policies (the `<prefix>...` AWS::IAM::Policy resources). */
const statementsOf = (template: Synthesized['orchestrator'], prefix: string): Statement[] =>
  Object.entries(resourcesOf(template))
    .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(prefix))
    .flatMap(([, r]) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
const lambdaGrants = (statements: Statement[]) => statements.filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));

/** The encryption context the real cipher sends to open a bot token. */
async function botTokenDecryptContext(): Promise<Record<string, string>> {
  const kms = mockClient(KMSClient);
  kms.on(GenerateDataKeyCommand).callsFake(() => ({ Plaintext: new Uint8Array(32).fill(3), CiphertextBlob: new Uint8Array([1]) }));
  kms.on(DecryptCommand).callsFake(() => ({ Plaintext: new Uint8Array(32).fill(3) }));
  const cipher = new KmsEnvelopeCipher({ client: new KMSClient({ region: 'eu-west-1' }), keyId: 'token-key' });
  const context = { appId: 'A0TEST', installId: 'T0TEAM', purpose: 'bot_token' as const };
  await cipher.decrypt(await cipher.encrypt('sealed-in-test', context), context);
  const sent = kms.commandCalls(DecryptCommand)[0]!.args[0].input.EncryptionContext ?? {};
  kms.restore();
  return sent;
}

describe("a bot in its own Lambda: Lifeline invokes exactly it, and its role reads what authorize needs, nothing more", () => {
  const withBot = synthLifeline({ slack: { scopes: ['chat:write', 'commands'] }, bot: { functionArn: FUNCTION_ARN, roleArn: ROLE_ARN } });
  const without = synthLifeline();
  let decryptContext: Record<string, string>;

  beforeAll(async () => {
    decryptContext = await botTokenDecryptContext();
  });

  it('lets the worker task role and the HTTP Lambda invoke exactly the bot function, and nothing else invoke any', () => {
    for (const prefix of ['WorkersTaskRoleDefaultPolicy', 'HttpHandlerRoleDefaultPolicy']) {
      expect(lambdaGrants(statementsOf(withBot.orchestrator, prefix))).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN }]);
    }
    const invokers = Object.entries(resourcesOf(withBot.orchestrator))
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes(FUNCTION_ARN))
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(invokers.sort()).toEqual(['HttpHandlerRoleDefaultPolicy', 'WorkersTaskRoleDefaultPolicy']);
    // Without a bot, nobody invokes a bot.
    for (const prefix of ['WorkersTaskRoleDefaultPolicy', 'HttpHandlerRoleDefaultPolicy']) {
      expect(lambdaGrants(statementsOf(without.orchestrator, prefix))).toEqual([]);
    }
  });

  it('tells the worker and the HTTP Lambda the function, and their config readers take it', () => {
    const container = (onlyResource(withBot.orchestrator, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>)[0]!;
    expect(container.Environment).toContainEqual({ Name: envKeys.botFunctionArn, Value: FUNCTION_ARN });
    const httpEnv = (onlyResource(withBot.orchestrator, 'AWS::Lambda::Function', 'HttpHandler').properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(httpEnv[envKeys.botFunctionArn]).toBe(FUNCTION_ARN);
    const worker = readWorkerConfig({
      ...Object.fromEntries(container.Environment.map((e) => [e.Name, typeof e.Value === 'string' ? e.Value : 'resolved'])),
      SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'secret-stand-in-0123456789', SLACK_APP_TOKEN: 'xapp-1-A0TEST-stand-in',
    });
    expect(worker.mode === 'aws' && worker.aws.botFunctionArn).toBe(FUNCTION_ARN);
    expect(() => readHttpConfig(Object.fromEntries(Object.entries(httpEnv).map(([k, v]) => [k, typeof v === 'string' ? v : 'https://resolved.example/x'])))).not.toThrow();
  });

  it("attaches one policy to the bot's role: GetItem on this app's installation items, the table key through DynamoDB, Decrypt of bot tokens", () => {
    const policies = Object.values(resourcesOf(withBot.orchestrator)).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes('my-bot-role'));
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties?.Roles).toEqual(['my-bot-role']);
    const statements = (policies[0]!.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    const [read, tableKey, tokens] = statements;

    expect(statements.map((s) => s.Sid)).toEqual(['ReadInstallations', 'ReadTheEncryptedTable', 'OpenBotTokens']);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    // authorize reads one installation item (GetItem on INSTALL#<app>#<team>): no Query, no index, no link or worker item.
    expect(read!.Action).toBe('dynamodb:GetItem');
    // The table itself, one resource: no index.
    expect(asList(read!.Resource)).toHaveLength(1);
    expect(JSON.stringify(read!.Resource)).toMatch(/LifelineTable[^"]*Arn/);
    expect(JSON.stringify(read!.Resource)).not.toContain('index');
    expect(read!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INSTALL#A0TEST#*'] } });
    expect(asList(tableKey!.Action).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(JSON.stringify(tableKey!.Resource)).toContain('LifelineDataKey');
    expect(tableKey!.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } });
    expect(tokens!.Action).toBe('kms:Decrypt');
    expect(JSON.stringify(tokens!.Resource)).toContain('LifelineTokenKey');
    expect(tokens!.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:app': 'A0TEST', 'kms:EncryptionContext:purpose': ['bot_token'] },
      Null: { 'kms:EncryptionContext:installation': 'false' },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app', 'installation', 'purpose'] },
    });
    // The condition admits what the cipher really sends to open a bot token.
    expect(Object.keys(decryptContext).sort()).toEqual(['app', 'installation', 'purpose']);
    expect(decryptContext).toMatchObject({ app: 'A0TEST', purpose: 'bot_token' });
  });

  it('names the bot role in the token key policy for Decrypt of bot tokens only, apart from the openers', () => {
    const keyPolicy = (onlyResource(withBot.stateful, 'AWS::KMS::Key', 'LifelineTokenKey').properties.KeyPolicy as { Statement: Statement[] }).Statement;
    expect(keyPolicy.map((s) => s.Sid)).toEqual(['AdministerWithoutUse', 'OpenAndSealSlackTokens', 'OpenBotTokens']);
    const [, openers, bot] = keyPolicy;
    expect(JSON.stringify(openers!.Condition)).not.toContain(ROLE_ARN);
    expect(bot!.Action).toBe('kms:Decrypt');
    expect(bot!.Condition).toMatchObject({
      ArnEquals: { 'aws:PrincipalArn': [ROLE_ARN] },
      StringEquals: { 'kms:EncryptionContext:app': 'A0TEST', 'kms:EncryptionContext:purpose': ['bot_token'] },
    });
    // No bot, no such statement.
    const plain = (onlyResource(without.stateful, 'AWS::KMS::Key', 'LifelineTokenKey').properties.KeyPolicy as { Statement: Statement[] }).Statement;
    expect(plain.map((s) => s.Sid)).toEqual(['AdministerWithoutUse', 'OpenAndSealSlackTokens']);
  });

  it('outputs the token key ARN the bot function is given', () => {
    expect(withBot.stateful.toJSON().Outputs.TokenKeyArn).toMatchObject({ Value: { 'Fn::GetAtt': ['LifelineTokenKey', 'Arn'] } });
  });

  it.each([
    ['a function without its role', { functionArn: FUNCTION_ARN }, /botRoleArn is missing/],
    ['a role without its function', { roleArn: ROLE_ARN }, /botFunctionArn is missing/],
    ['a function name instead of an ARN', { functionArn: 'my-bot', roleArn: ROLE_ARN }, /"my-bot" is not a Lambda function ARN/],
    ['a role name instead of an ARN', { functionArn: FUNCTION_ARN, roleArn: 'my-bot-role' }, /"my-bot-role" is not an IAM role ARN/],
  ])('refuses %s', (_, bot, problem) => {
    expect(() => synthLifeline({ bot })).toThrow(problem);
    expect(() => synthLifeline({ bot })).toThrow(/A bot on Lifeline needs both botFunctionArn and botRoleArn/);
  });
});
