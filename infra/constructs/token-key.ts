import { RemovalPolicy } from 'aws-cdk-lib';
import { AccountRootPrincipal, Grant, PolicyDocument, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TokenKeyProps {
  /**
   * The roles that open (and seal) Slack tokens, by ARN: the worker task role, the workflow-task
   * and HTTP Lambdas' roles, and a bot's role when one is given. They are named in the key policy
   * by `aws:PrincipalArn`, which KMS does not resolve when the policy is set, so the roles may be
   * created after the key (they live in the orchestrator stack) and recreated without breaking it.
   */
  readonly openerRoleArns: readonly string[];
  /**
   * Roles that only open bot tokens, by ARN: a bot's own role (its Lambda's `authorize`). They
   * get `kms:Decrypt` under the bot token's context and nothing else: no sealing, no refresh token.
   */
  readonly botTokenReaderRoleArns?: readonly string[];
  /** The one Slack app whose tokens this deployment holds: the only `app` the context may name. */
  readonly appId: string;
}

/** What `KmsEnvelopeCipher` binds every data key to (shared/adapters/kms): these keys, no others. */
const CONTEXT_KEYS = ['app', 'installation', 'purpose'] as const;
const PURPOSES = ['bot_token', 'refresh_token'] as const;
export type TokenPurpose = (typeof PURPOSES)[number];

/** Sealing takes a data key, opening unwraps one: the only two calls the cipher makes. */
export const tokenKeyActions = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;
/** A bot only opens: it never seals a token (installs and rotations are Lifeline's). */
export const botTokenReaderActions = ['kms:Decrypt'] as const;

/**
 * The encryption context the cipher uses, as policy conditions: exactly `app`, `installation` and
 * `purpose`, the app being this deployment's and the purpose a bot or refresh token. A call with
 * another app, a missing or extra key, or no context at all is refused by KMS itself.
 */
export function tokenContextConditions(appId: string, purposes: readonly TokenPurpose[] = PURPOSES): Record<string, Record<string, unknown>> {
  return {
    StringEquals: { 'kms:EncryptionContext:app': appId, 'kms:EncryptionContext:purpose': [...purposes] },
    Null: { 'kms:EncryptionContext:installation': 'false' },
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [...CONTEXT_KEYS] },
  };
}

/**
 * Key administration for the account, without the key's use: no Decrypt, Encrypt, GenerateDataKey,
 * ReEncrypt or CreateGrant (a grant could hand the use to anyone). `PutKeyPolicy` stays, or KMS
 * would refuse the policy (lockout check) and nobody could ever change it; its use is in CloudTrail.
 */
const ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion', 'kms:DescribeKey', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:EnableKeyRotation',
  'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListKeyRotations', 'kms:ListResourceTags',
  'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:RotateKeyOnDemand', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource',
  'kms:UpdateKeyDescription',
];

/**
 * The key that wraps Slack tokens' data keys (`KmsEnvelopeCipher`), apart from the table's key:
 * the table key is used by DynamoDB on behalf of every role that reads the table (the sweeper
 * too), this one only by the roles that must see a token. Its policy names them and nothing else
 * may use it: IAM cannot widen it (no account-wide use statement), and each opener's own policy
 * must allow the call too. Rotating, and retained: a sealed token is bound to this key for good.
 */
export class TokenKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TokenKeyProps) {
    super(scope, id);
    if (props.openerRoleArns.length === 0) throw new Error('TokenKey needs at least one role that opens tokens');
    const account = new AccountRootPrincipal();
    this.key = new Key(this, 'Key', {
      description: 'Lifeline: wraps the data keys that seal Slack tokens (only the roles that open tokens may use it)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ sid: 'AdministerWithoutUse', principals: [account], actions: ADMIN_ACTIONS, resources: ['*'] }),
          new PolicyStatement({
            sid: 'OpenAndSealSlackTokens',
            // The account, narrowed to the named roles: each must also be allowed by its own policy.
            principals: [account],
            actions: [...tokenKeyActions],
            resources: ['*'],
            conditions: { ...tokenContextConditions(props.appId), ArnEquals: { 'aws:PrincipalArn': [...props.openerRoleArns] } },
          }),
          ...(props.botTokenReaderRoleArns?.length
            ? [
                new PolicyStatement({
                  sid: 'OpenBotTokens',
                  principals: [account],
                  actions: [...botTokenReaderActions],
                  resources: ['*'],
                  conditions: { ...tokenContextConditions(props.appId, ['bot_token']), ArnEquals: { 'aws:PrincipalArn': [...props.botTokenReaderRoleArns] } },
                }),
              ]
            : []),
        ],
      }),
    });
  }
}

/** A role's own half of the bargain: the same two calls, on this key, under the same context. */
export function grantTokenKey(grantee: IGrantable, key: IKey, appId: string): void {
  Grant.addToPrincipal({ grantee, actions: [...tokenKeyActions], resourceArns: [key.keyArn], conditions: tokenContextConditions(appId) });
}
