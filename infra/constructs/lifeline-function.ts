import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LifelineFunctionProps {
  /** The handler module (exports `handler`), absolute path. */
  readonly entry: string;
  /** The repository root: where `package-lock.json` lives, so bundling is reproducible. */
  readonly projectRoot: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** Default 30 s. */
  readonly timeout?: Duration;
  /** Default 256 MB: these handlers are I/O bound; more memory buys nothing but cost. */
  readonly memorySize?: number;
  /** Default one month. */
  readonly logRetention?: RetentionDays;
  /** A fixed role name, for a role a resource policy names before it exists (the token key's openers). Default: generated. */
  readonly roleName?: string;
}

/**
 * A Lifeline Lambda: Node 24 on ARM64 (cheaper per GB-second than x86), bundled by the local
 * esbuild into one file. The AWS SDK is bundled too, so the function runs the SDK versions the
 * tests ran against rather than whatever the runtime ships. Its role starts empty: no
 * AWSLambdaBasicExecutionRole (which may write to any log group); it may write its own logs only,
 * and callers add what else it needs with `grant*`.
 */
export class LifelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LifelineFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Lifeline ${id}: its own logs plus explicit grants`,
      ...(props.roleName ? { roleName: props.roleName } : {}),
    });
    this.logGroup.grant(this.role, 'logs:CreateLogStream', 'logs:PutLogEvents');
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        externalModules: [],
        // ESM bundles of CommonJS dependencies (the AWS SDK) still call `require`.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }
}
