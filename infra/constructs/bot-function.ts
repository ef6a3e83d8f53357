import { Grant, Policy, PolicyStatement, Role, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { installationKey } from '../../shared/schema';
import { viaDynamoDb } from './table-access';
import { botTokenReaderActions, tokenContextConditions } from './token-key';

/**
 * A bot that runs in its own Lambda (a Bolt app behind `LifelineReceiver.toLambdaHandler()`),
 * deployed by its developer: Lifeline invokes the function and grants its role what `authorize`
 * needs. Both by ARN (CDK context `botFunctionArn`, `botRoleArn`).
 */
export interface BotFunctionSettings {
  readonly functionArn: string;
  readonly roleArn: string;
}

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Both or neither, each a complete ARN: a function Lifeline could not invoke or a role it could not grant fails synth here. */
export function checkBotFunction(input: { functionArn?: string | undefined; roleArn?: string | undefined }): BotFunctionSettings | undefined {
  const functionArn = input.functionArn?.trim() ?? '';
  const roleArn = input.roleArn?.trim() ?? '';
  if (functionArn === '' && roleArn === '') return undefined;
  const problems = [
    ...(functionArn === '' ? ["botFunctionArn is missing: the bot's Lambda, which Lifeline invokes with every payload"] : []),
    ...(functionArn !== '' && !FUNCTION_ARN.test(functionArn) ? [`botFunctionArn ${JSON.stringify(functionArn)} is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<alias>])`] : []),
    ...(roleArn === '' ? ["botRoleArn is missing: the bot's execution role, which Lifeline lets read installations and open bot tokens"] : []),
    ...(roleArn !== '' && !ROLE_ARN.test(roleArn) ? [`botRoleArn ${JSON.stringify(roleArn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`] : []),
  ];
  if (problems.length > 0) throw new Error(`A bot on Lifeline needs both botFunctionArn and botRoleArn:\n  - ${problems.join('\n  - ')}`);
  return { functionArn, roleArn };
}

/** Lifeline's side: this grantee may invoke exactly the bot's function (the ARN as given, alias included). */
export function grantInvokeBot(grantee: IGrantable, functionArn: string): void {
  Grant.addToPrincipal({ grantee, actions: ['lambda:InvokeFunction'], resourceArns: [functionArn] });
}

/** The table read `authorize` makes: one `GetItem` of an installation item (no Query, no index, no other item type). */
export const botTableActions = ['dynamodb:GetItem'] as const;
/** Reading an item of a table encrypted with a customer managed key: through DynamoDB only, as CDK's read grant does. */
export const botTableKeyActions = ['kms:Decrypt', 'kms:DescribeKey'] as const;

export interface BotAccessProps {
  readonly bot: BotFunctionSettings;
  readonly table: ITable;
  readonly tableKey: IKey;
  readonly tokenKey: IKey;
  readonly appId: string;
}

/**
 * The bot role's policy, attached to the imported role: `GetItem` on this app's installation
 * items only (`dynamodb:LeadingKeys` = `INSTALL#<app>#*`: no link, worker or event item), the
 * table key through DynamoDB only, and `kms:Decrypt` on the token key under the cipher's
 * encryption context narrowed to bot tokens (the token key's own policy names the role for
 * exactly that, `OpenBotTokens`). Nothing else: the bot cannot write, seal, renew or park.
 */
export class BotAccess extends Construct {
  readonly policy: Policy;

  constructor(scope: Construct, id: string, props: BotAccessProps) {
    super(scope, id);
    const role = Role.fromRoleArn(this, 'Role', props.bot.roleArn, { mutable: true });
    const installations = installationKey(props.appId, '*').pk;
    this.policy = new Policy(this, 'Policy', {
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'ReadInstallations',
          actions: [...botTableActions],
          resources: [props.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [installations] } },
        }),
        new PolicyStatement({ sid: 'ReadTheEncryptedTable', actions: [...botTableKeyActions], resources: [props.tableKey.keyArn], conditions: viaDynamoDb() }),
        new PolicyStatement({
          sid: 'OpenBotTokens',
          actions: [...botTokenReaderActions],
          resources: [props.tokenKey.keyArn],
          conditions: tokenContextConditions(props.appId, ['bot_token']),
        }),
      ],
    });
  }
}
