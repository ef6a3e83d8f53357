import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, synthLifeline, TEST_SECRET_ARN } from './synth';

describe('orchestrator stack', () => {
  const { orchestrator: template } = synthLifeline({ slack: { scopes: ['bot'], protocol: 'rtm' } });

  describe('network', () => {
    it('has public subnets and no NAT gateway', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      const subnets = Object.values(resourcesOf(template)).filter((r) => r.Type === 'AWS::EC2::Subnet');
      expect(subnets.length).toBe(2);
      for (const subnet of subnets) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(true);
    });

    it('lets workers dial out on 443 only and nothing in', () => {
      const { properties } = onlyResource(template, 'AWS::EC2::SecurityGroup');
      expect(properties.SecurityGroupIngress).toBeUndefined();
      expect(properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    it('logs rejected flows', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    });

    it('routes table traffic through a DynamoDB gateway endpoint on the workers\' subnets, admitting only the table', () => {
      const { properties } = onlyResource(template, 'AWS::EC2::VPCEndpoint');
      expect(properties).toMatchObject({ VpcEndpointType: 'Gateway', ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] } });
      const publicRouteTables = Object.entries(resourcesOf(template))
        .filter(([id, r]) => r.Type === 'AWS::EC2::RouteTable' && id.includes('public'))
        .map(([id]) => ({ Ref: id }));
      expect(publicRouteTables).toHaveLength(2);
      expect(properties.RouteTableIds).toEqual(expect.arrayContaining(publicRouteTables));
      const statements = (properties.PolicyDocument as { Statement: Array<{ Resource: unknown; Principal: unknown }> }).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Principal).toEqual({ AWS: '*' });
      expect(JSON.stringify(statements[0]!.Resource)).toContain('LifelineTable');
      expect(JSON.stringify(statements[0]!.Resource)).not.toContain('"*"');
    });
  });

  describe('workers', () => {
    it('run in a cluster with Container Insights', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    });

    it('run on Fargate ARM64 from this repository’s Dockerfile, with a health check and room to drain', () => {
      const { properties } = onlyResource(template, 'AWS::ECS::TaskDefinition');
      expect(properties).toMatchObject({ RequiresCompatibilities: ['FARGATE'], RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
      const [container] = properties.ContainerDefinitions as Array<Record<string, unknown>>;
      const environment = Object.fromEntries((container!.Environment as Array<{ Name: string; Value: unknown }>).map((e) => [e.Name, e.Value]));
      const drainMs = Number(environment.LIFELINE_DRAIN_TIMEOUT_MS);
      expect(drainMs).toBe(20_000);
      // SIGKILL comes `StopTimeout` after SIGTERM: the drain and the socket closes must fit.
      expect(container!.StopTimeout as number).toBeGreaterThanOrEqual(drainMs / 1000 + 20);
      expect(container!.StopTimeout as number).toBeLessThanOrEqual(120);
      expect(container!.HealthCheck).toMatchObject({ Command: ['CMD-SHELL', expect.stringContaining('/tmp/lifeline-alive')], Retries: 3 });
      expect(container!.Image).toEqual({ 'Fn::Sub': expect.stringContaining('cdk-hnb659fds-container-assets') });
      expect(environment).toMatchObject({ LIFELINE_MODE: 'aws', LIFELINE_TABLE_NAME: expect.anything(), LIFELINE_CONNECT_QUEUE_URL: expect.anything() });
      expect(container!.LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: expect.objectContaining({ mode: 'non-blocking' }) });
    });

    it('run with a read-only root filesystem; /tmp, where the liveness beacon is written, is a task volume', () => {
      const { properties } = onlyResource(template, 'AWS::ECS::TaskDefinition');
      const [container] = properties.ContainerDefinitions as Array<Record<string, unknown>>;
      expect(container!.ReadonlyRootFilesystem).toBe(true);
      expect(container!.MountPoints).toEqual([{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' }]);
      expect(properties.Volumes).toEqual([{ Name: 'tmp' }]);
      // The beacon the health check reads lives on that volume.
      expect(JSON.stringify(container!.HealthCheck)).toContain('/tmp/');
    });

    it('deploy make-before-break and roll back a failing deployment', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 }),
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      });
    });
  });

  describe('connect queue', () => {
    it('is encrypted, TLS-only and dead-letters what workers cannot process', () => {
      const queues = Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
      expect(queues).toHaveLength(2);
      for (const [, queue] of queues) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      const dlq = onlyResource(template, 'AWS::SQS::Queue', 'ConnectQueueDeadLetters');
      template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: 5 } });
      const denials = Object.values(resourcesOf(template))
        .filter((r) => r.Type === 'AWS::SQS::QueuePolicy')
        .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement)
        .filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }));
      expect(denials).toHaveLength(2);
    });
  });

  it('has an EventBridge bus as the event sink', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  describe('Lambdas', () => {
    // CDK's own provider (flag restrictDefaultSecurityGroup) is not one of ours: it empties the VPC's default security group.
    const ours = ([id]: [string, unknown]) => !id.startsWith('CustomVpcRestrictDefaultSG');

    it('are Node 24 on ARM64, each with its own log group and role', () => {
      const functions = Object.entries(resourcesOf(template)).filter(ours).map(([, r]) => r).filter((r) => r.Type === 'AWS::Lambda::Function');
      expect(functions).toHaveLength(3);
      for (const fn of functions) {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogGroup: expect.anything() } });
      }
      const roles = Object.entries(resourcesOf(template)).filter(ours).map(([, r]) => r).filter((r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties?.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
      expect(roles).toHaveLength(3);
      for (const role of roles) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    });

    it('serve Slack over HTTPS: three routes on an HTTP API with access logs and a throttle', () => {
      const routes = Object.values(resourcesOf(template)).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => r.Properties?.RouteKey);
      expect(routes.sort()).toEqual(['GET /slack/install', 'GET /slack/oauth_redirect', 'POST /slack/events']);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('give the HTTP handler its own redirect URL and the Slack app secret by ARN, no secret value', () => {
      const { properties } = onlyResource(template, 'AWS::Lambda::Function', 'HttpHandler');
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({ SLACK_APP_ID: 'A0TEST', SLACK_SCOPES: 'bot', LIFELINE_APP_PROTOCOL: 'rtm', LIFELINE_SLACK_SECRET_ARN: TEST_SECRET_ARN });
      expect(JSON.stringify(variables.SLACK_REDIRECT_URI)).toContain('/slack/oauth_redirect');
      for (const key of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET', 'LIFELINE_STATE_SECRET']) expect(variables).not.toHaveProperty(key);
    });

    it('run the sweeper every minute', () => {
      const sweeper = onlyResource(template, 'AWS::Lambda::Function', 'SweeperHandler');
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeper.id, 'Arn'] } })],
      });
      expect(sweeper.properties.Timeout as number).toBeGreaterThan(10 + 30);
    });
  });

  it('runs both workflows as Standard state machines with tracing, logging every event but never its data (task tokens)', () => {
    const machines = Object.values(resourcesOf(template)).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(2);
    for (const machine of machines) {
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it('reads the stateful stack’s pinned table and both keys, by stack output (weak references: no exports to deadlock a deploy)', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toContain('Fn::ImportValue');
    const outputs = [...json.matchAll(/"Fn::GetStackOutput":\{"StackName":"LifelineStateful","Region":\{"Ref":"AWS::Region"\},"OutputName":"PublishOutput[A-Za-z]+?(LifelineTable|LifelineDataKey|LifelineTokenKey)/g)].map((m) => m[1]);
    expect(new Set(outputs)).toEqual(new Set(['LifelineTable', 'LifelineDataKey', 'LifelineTokenKey']));
  });

  it('empties the VPC\'s default security group (flag restrictDefaultSecurityGroup): nothing can use it by accident', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  it('tells each process the token key, not the table key, as the key that seals tokens', () => {
    const keyOf = (variables: Record<string, unknown>) => JSON.stringify(variables.LIFELINE_KMS_KEY_ID);
    for (const prefix of ['HttpHandler', 'WorkflowTasksHandler']) {
      const variables = (onlyResource(template, 'AWS::Lambda::Function', prefix).properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(keyOf(variables)).toContain('LifelineTokenKey');
    }
    const [container] = onlyResource(template, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
    expect(JSON.stringify(container!.Environment.find((e) => e.Name === 'LIFELINE_KMS_KEY_ID')?.Value)).toContain('LifelineTokenKey');
  });

  it('outputs what to paste into the Slack app config, and the dashboard', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.SlackRedirectUrl?.Value)).toContain('/slack/oauth_redirect');
    expect(JSON.stringify(outputs.SlackEventsUrl?.Value)).toContain('/slack/events');
    expect(JSON.stringify(outputs.SlackInstallUrl?.Value)).toContain('/slack/install');
    expect(JSON.stringify(outputs.DashboardUrl?.Value)).toContain('#dashboards:name=');
  });
});
