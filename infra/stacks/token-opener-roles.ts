import { Aws } from 'aws-cdk-lib';

/**
 * The names of the roles that open Slack tokens, fixed so the stateful stack can name them in
 * the token key's policy without a reference to the orchestrator stack (which already depends on
 * it: a reference back would be a cycle). Region in the name: IAM names are account-wide, and the
 * same stacks may be deployed to two regions of one account.
 */
export interface TokenOpenerRoles {
  readonly workerTask: string;
  readonly workflowTasks: string;
  readonly http: string;
}

/** IAM's limit on role names, and the longest region name (ap-southeast-2 and its kin). */
const MAX_ROLE_NAME = 64;
const LONGEST_REGION = 14;
const suffixes = { workerTask: 'worker-task', workflowTasks: 'workflow-tasks', http: 'http' } as const;

export function tokenOpenerRoleNames(orchestratorStackName: string): TokenOpenerRoles {
  const longest = Math.max(...Object.values(suffixes).map((s) => s.length));
  if (orchestratorStackName.length + longest + LONGEST_REGION + 2 > MAX_ROLE_NAME) {
    throw new Error(`orchestrator stack name "${orchestratorStackName}" is too long to name its roles within IAM's ${MAX_ROLE_NAME} characters`);
  }
  const name = (suffix: string): string => `${orchestratorStackName}-${suffix}-${Aws.REGION}`;
  return { workerTask: name(suffixes.workerTask), workflowTasks: name(suffixes.workflowTasks), http: name(suffixes.http) };
}

export const roleArn = (roleName: string): string => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${roleName}`;
