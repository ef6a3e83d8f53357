import { Validations, type Stack } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';
import type { WorkerService } from '../constructs/worker-service';

export interface OrchestratorNagTargets {
  workers: WorkerService;
  /** The Slack-facing routes. */
  routes: HttpRoute[];
  /** The workflows' state machine roles. */
  workflowRoles: IRole[];
  /** The Lambda the workflows invoke (its ARN appears in their policies). */
  taskFunctionLogicalId: string;
}

const policyOf = (role: IConstruct): IConstruct => role.node.findChild('DefaultPolicy');

/**
 * cdk-nag AwsSolutions findings this stack accepts, each with the reason it is right here. Each is
 * acknowledged on the one construct it concerns, never stack-wide, so a new finding elsewhere fails.
 */
export function acknowledgeOrchestratorFindings(stack: Stack, targets: OrchestratorNagTargets): void {
  Validations.of(targets.workers.taskDefinition).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason:
      'ECS2 flags any environment variable. The worker environment holds resource names, ARNs and tunables only (table, ' +
      'token key, queue, bus, state machines, drain timeout, app id; a template test walks it). The Slack app\'s client ' +
      'credentials (and Socket Mode app token) are ECS `secrets` referencing the secret\'s complete ARN, which synth requires ' +
      '(a name is refused): ECS reads them at task start with the execution role and never resolves them into the task ' +
      'definition. Slack tokens live in the table, sealed under the token key, and are opened per use.',
  });
  Validations.of(policyOf(targets.workers.taskDefinition.obtainExecutionRole())).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken does not support resource-level permissions; image pulls themselves are scoped to the CDK asset repository.',
  });
  for (const route of targets.routes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Slack calls these routes and cannot carry AWS credentials or a JWT. Each request authenticates in the handler instead: ' +
        "Slack's HMAC signature on /slack/events, a signed expiring state on the OAuth routes.",
    });
  }
  for (const role of targets.workflowRoles) {
    Validations.of(policyOf(role)).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions logging (logs:*LogDelivery, DescribeLogGroups, DescribeResourcePolicies, PutResourcePolicy) and X-Ray ' +
          '(PutTraceSegments, PutTelemetryRecords, GetSampling*) do not support resource-level permissions (AWS service authorization reference).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${targets.taskFunctionLogicalId}.Arn>:*]`,
        reason: "The workflow may invoke its task Lambda's versions and aliases (`<arn>:*`); the grant is still this one function.",
      },
    );
  }
  Validations.of(stack).acknowledge({
    id: 'Annotation::@aws-cdk/core:crossStackReferencesDefaultStrong',
    reason: 'Strong references are what we want: CloudFormation then refuses to delete or rename the stateful table and key while this stack uses them.',
  });
}
