import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type {
  GatewayVpcEndpoint} from 'aws-cdk-lib/aws-ec2';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
  type IVpc,
} from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { linkTable } from '../../shared/schema';
import { tableActions } from './table-access';

export interface WorkerNetworkProps {
  /** Availability zones to spread workers over. Default 2. */
  readonly maxAzs?: number;
  /** How long rejected-traffic flow logs are kept. Default one month. */
  readonly flowLogRetention?: RetentionDays;
  /** The one table the workers use: the DynamoDB endpoint's policy admits only its items and indexes. */
  readonly table: ITable;
}

/**
 * Where workers run: public subnets, no NAT gateway. Workers only dial out (Slack's WebSockets
 * and APIs, AWS APIs, all on 443), so they need an egress path and nothing else; a public IP
 * behind a security group with no ingress rule gives them that for free, where a NAT gateway
 * costs about $33/month per AZ before traffic. Nothing can connect in: the group has no ingress.
 */
export class WorkerNetwork extends Construct {
  readonly vpc: IVpc;
  readonly securityGroup: SecurityGroup;
  readonly dynamoDbEndpoint: GatewayVpcEndpoint;

  constructor(scope: Construct, id: string, props: WorkerNetworkProps) {
    super(scope, id);
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Rejected traffic only: it is what shows someone knocking, and it stays cheap where logging
    // every accepted flow would log each long-lived Slack socket over and over.
    vpc.addFlowLog('RejectedFlows', {
      trafficType: FlowLogTrafficType.REJECT,
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention ?? RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      ),
    });
    // Table traffic (heartbeats, every link write) stays on AWS's network instead of the public
    // internet, at no cost; the endpoint admits only this table, so it is no way out for data.
    this.dynamoDbEndpoint = vpc.addGatewayEndpoint('DynamoDb', {
      service: GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [{ subnetType: SubnetType.PUBLIC }],
    });
    const indexArns = Object.values(linkTable.indexes).map((index) => `${props.table.tableArn}/index/${index.indexName}`);
    this.dynamoDbEndpoint.addToPolicy(
      new PolicyStatement({ principals: [new AnyPrincipal()], actions: [...tableActions.readWrite], resources: [props.table.tableArn, ...indexArns] }),
    );
    this.vpc = vpc;
    this.securityGroup = new SecurityGroup(this, 'WorkerSecurityGroup', {
      vpc,
      description: 'Lifeline workers: HTTPS out (Slack, AWS APIs), nothing in',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS and WSS to Slack and AWS APIs');
  }
}
