/**
 * The restart and reactivation workflows, in Amazon States Language, as plain data: the one
 * source both the CDK constructs (`infra/constructs/*-workflow.ts`, which deploy it with
 * `definitionSubstitutions` for the two resources it names) and the embedded interpreter
 * (`LocalStepFunctionsWorkflow`, which substitutes local stand-ins) read. Nothing here needs CDK,
 * so the embedded runtime runs it without synthesizing an app. ARCHITECTURE.md "Workflows" says
 * why this is data rather than CDK's state builders.
 */
import { CONNECT_FAILURES, TOKEN_REJECTED, type WorkflowTaskName } from './contract';

/** The substitution variables the definitions name (`${…}`), and what each stands for. */
export const DEFINITION_SUBSTITUTIONS = {
  /** The workflow-task Lambda's ARN: every Task state but the connect invokes it. */
  taskFunctionArn: 'TaskFunctionArn',
  /** The workers' connect queue URL: the connect task sends its command there. */
  connectQueueUrl: 'ConnectQueueUrl',
} as const;

export interface LinkWorkflowOptions {
  /**
   * How long a connect command may stay unanswered before it counts as a failed attempt
   * (`connect_timeout`, transient). Default 120 s; see `LinkWorkflowProps.connectTimeout`.
   */
  connectTimeoutSeconds?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 120;

export type AslJson = Record<string, unknown>;

export interface LinkWorkflowDefinitions {
  restart: AslJson;
  reactivation: AslJson;
}

const variable = (name: string): string => '${' + name + '}';

/** The state data every step of the connect loop carries (`RestartInput` plus what the tasks return). */
const link = { 'linkId.$': '$.linkId', 'epoch.$': '$.epoch', 'attempt.$': '$.attempt' };
const failed = { ...link, 'failure.$': '$.failure' };

/**
 * A Lambda task of `functions/workflow-tasks` (`{ task, ...parameters }`); its result replaces the
 * state data. Lambda service errors are retried as CDK's `LambdaInvoke` does by default; failures
 * of the handler itself (DynamoDB throttling, a lost write race) too: the handlers are idempotent,
 * since each re-reads the link and the machine ignores events that no longer apply.
 */
const linkTask = (task: WorkflowTaskName, parameters: Record<string, string>, next: string): AslJson => ({
  Type: 'Task',
  Resource: variable(DEFINITION_SUBSTITUTIONS.taskFunctionArn),
  Parameters: { task, ...parameters },
  Retry: [
    {
      ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
      IntervalSeconds: 2,
      MaxAttempts: 6,
      BackoffRate: 2,
    },
    { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2 },
  ],
  Next: next,
});

/** A Choice on the `proceed` flag a task returned. */
const whenProceeding = (next: string, otherwise: string): AslJson => ({
  Type: 'Choice',
  Choices: [{ Variable: '$.proceed', BooleanEquals: true, Next: next }],
  Default: otherwise,
});

const caught = (errors: string[], next: string) => ({ ErrorEquals: errors, ResultPath: '$.failure', Next: next });

/**
 * Wait → ApplyRetry → Connect, and the catches of Connect's named failures, looping back to Wait
 * with the machine's next delay. Both workflows connect this same way: a reactivation joins at
 * Connect, after REGISTERED.
 */
function connectLoop(connectTimeoutSeconds: number): Record<string, AslJson> {
  return {
    Wait: { Type: 'Wait', SecondsPath: '$.delaySeconds', Next: 'ApplyRetry' },
    ApplyRetry: linkTask('applyRetry', link, 'RetryStillDue'),
    RetryStillDue: whenProceeding('Connect', 'MovedOn'),
    Connect: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: variable(DEFINITION_SUBSTITUTIONS.connectQueueUrl),
        MessageBody: { 'linkId.$': '$.linkId', 'epoch.$': '$.epoch', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSeconds: connectTimeoutSeconds,
      ResultPath: null,
      Catch: [
        caught([CONNECT_FAILURES.stale], 'MovedOn'),
        caught([CONNECT_FAILURES.revoked], 'ApplyRevoked'),
        caught([CONNECT_FAILURES.inactive], 'ApplyDisabled'),
        caught([CONNECT_FAILURES.transient, 'States.Timeout'], 'ApplyConnectFailed'),
        // Anything else (a worker's bug, a malformed failure) is a failed attempt too: back off, never stall.
        caught(['States.ALL'], 'ApplyConnectFailed'),
      ],
      Next: 'Connected',
    },
    Connected: { Type: 'Succeed' },
    ApplyRevoked: linkTask('applyRevoked', failed, 'Parked'),
    ApplyDisabled: linkTask('applyDisabled', failed, 'Parked'),
    Parked: { Type: 'Succeed' },
    ApplyConnectFailed: linkTask('applyConnectFailed', failed, 'BackingOff'),
    BackingOff: whenProceeding('Wait', 'MovedOn'),
    MovedOn: { Type: 'Succeed', Comment: 'The link moved on: another epoch, or no longer waiting for this attempt.' },
  };
}

/**
 * restart (input `RestartInput`): a link in backoff waits out the machine's delay, is moved to
 * connecting (RETRY), and a worker is asked to connect it through the queue; the workflow waits
 * for the worker's answer (task token). Revoked and inactive answers park the link; transient
 * failures and timeouts apply CONNECT_FAILED and loop with the machine's next delay.
 *
 * reactivation (input `ReactivationInput`), after a new OAuth install: verify the installation's
 * token (`auth.test`), apply REGISTERED, then connect exactly as the restart workflow does. A
 * token that fails verification leaves the link parked; the execution fails with
 * `Link.TokenRejected` and the Slack error as its cause.
 */
export function linkWorkflowDefinitions(options: LinkWorkflowOptions = {}): LinkWorkflowDefinitions {
  const timeout = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1) throw new RangeError(`connect timeout must be a whole number of seconds ≥ 1, got ${timeout}`);
  return {
    restart: {
      Comment: 'Lifeline restart: wait, RETRY, connect via the workers, back off on failure',
      StartAt: 'Wait',
      States: connectLoop(timeout),
    },
    reactivation: {
      Comment: 'Lifeline reactivation: verify the token, REGISTERED, connect via the workers',
      StartAt: 'VerifyToken',
      States: {
        VerifyToken: linkTask('verifyToken', { 'linkId.$': '$.linkId', 'appId.$': '$.appId', 'teamId.$': '$.teamId', 'tokenVersion.$': '$.tokenVersion' }, 'TokenVerified'),
        TokenVerified: whenProceeding('ApplyRegistered', 'TokenRejected'),
        TokenRejected: { Type: 'Fail', Error: TOKEN_REJECTED, CausePath: '$.reason' },
        ApplyRegistered: linkTask('applyRegistered', { 'linkId.$': '$.linkId', 'tokenVersion.$': '$.tokenVersion' }, 'ReadyToConnect'),
        ReadyToConnect: whenProceeding('Connect', 'MovedOn'),
        ...connectLoop(timeout),
      },
    },
  };
}

/**
 * Replaces every `${Name}` in the definition's strings, as Step Functions does with a state
 * machine's `DefinitionSubstitutions`. A variable without a value throws: a definition that names
 * a resource nobody provides must not run.
 */
export function substituteDefinition(definition: AslJson, values: Record<string, string>): AslJson {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
        const substitute = values[name];
        if (substitute === undefined) throw new Error(`workflow definition: no value for \${${name}}`);
        return substitute;
      });
    }
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(definition) as AslJson;
}

/** Stand-ins for the two resources when the definitions run locally: the interpreter binds every Task state itself. */
export const LOCAL_SUBSTITUTIONS: Record<string, string> = {
  [DEFINITION_SUBSTITUTIONS.taskFunctionArn]: 'arn:aws:lambda:us-east-1:123456789012:function:LifelineWorkflowTasks',
  [DEFINITION_SUBSTITUTIONS.connectQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/123456789012/LifelineConnectQueue',
};

/** The definitions as the embedded interpreter runs them. */
export const localLinkWorkflowDefinitions = (options: LinkWorkflowOptions = {}): LinkWorkflowDefinitions => {
  const definitions = linkWorkflowDefinitions(options);
  return { restart: substituteDefinition(definitions.restart, LOCAL_SUBSTITUTIONS), reactivation: substituteDefinition(definitions.reactivation, LOCAL_SUBSTITUTIONS) };
};
