import './with-resolvers-polyfill';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type JSONObject = Parameters<StateMachine['run']>[0] & object;
import type { ConnectOutcome, ConnectQueue, Logger, ReactivationRequest, RetryRequest, Workflow } from '../../ports';
import { planStates, readPath, type AslDefinition, type StatePlan } from './asl-states';
import { encodeConnectCause } from './connect-cause';
import { CONNECT_FAILURES, delaySecondsOf, type ConnectMessage, type ReactivationInput, type RestartInput } from './contract';
import { reactivationExecutionName, restartExecutionName } from './execution-name';
import { namedError, type ExecutionRecord } from './execution-record';

/** The task Lambda's code (`functions/workflow-tasks` `makeHandler`): every Lambda Task state runs it. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalStepFunctionsWorkflowOptions {
  /** Plain ASL: `localLinkWorkflowDefinitions()`, what the constructs deploy with local stand-ins for its resources. */
  definitions: { restart: object; reactivation: object };
  handler: TaskHandler;
  /** Where connect commands go: the embedded queue the workers read. */
  queue: ConnectQueue;
  /**
   * Multiplies Wait durations, task timeouts and Retry intervals, so tests can shorten time
   * without changing the definitions. Default 1 (the definitions' own seconds). Timeouts can only
   * be shortened (≤ 1): the interpreter's own timer runs on the definition's value.
   */
  timeScale?: { waits?: number; timeouts?: number; retries?: number };
  log?: Logger;
  newTaskToken?: () => string;
  /** Finished executions kept for inspection. Default 1,000. */
  historyLimit?: number;
  /** Names remembered after their execution ended, so a reuse is refused as on AWS. Default 100,000. */
  usedNamesLimit?: number;
}

/** Step Functions refuses a Standard execution name used within the last 90 days, ended or not. */
const NAME_REUSE_MS = 90 * 24 * 60 * 60 * 1000;

type WorkflowKind = ExecutionRecord['workflow'];

interface Running {
  record: ExecutionRecord;
  /** The retry a restart execution was started for. */
  retry?: RetryRequest;
  abort: () => void;
  done: Promise<void>;
}

interface Waiter {
  settle(outcome: ConnectOutcome): void;
  cancel(): void;
}

/**
 * The Workflow port embedded: the deployed ASL (`link-workflows.ts`) run by aws-local-stepfunctions, each Lambda
 * Task bound to the task handler code, the connect task bound to the embedded queue (a command
 * with a fresh task token; `completeConnect` settles it), `TimeoutSeconds` honoured. A name is
 * started once, as Step Functions refuses a second start of a name used in the last 90 days,
 * running or ended: a twin that forgot names once their execution ended hid every
 * name collision AWS would turn into a lost retry.
 * `cancelRetry` does nothing, as on AWS: every execution re-reads the link before acting.
 */
export class LocalStepFunctionsWorkflow implements Workflow {
  private readonly machines: Record<WorkflowKind, { machine: StateMachine; plan: StatePlan }>;
  private readonly running = new Map<string, Running>();
  private readonly history: ExecutionRecord[] = [];
  /** Every name started, with when (oldest first): AWS's 90-day window, bounded by `usedNamesLimit`. */
  private readonly usedNames = new Map<string, number>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly scale: { waits: number; timeouts: number; retries: number };
  private readonly newTaskToken: () => string;
  private stopped = false;

  constructor(private readonly options: LocalStepFunctionsWorkflowOptions) {
    const machine = (definition: object) => ({
      machine: new StateMachine(definition as StateMachineDefinition),
      plan: planStates(definition as AslDefinition),
    });
    this.machines = { restart: machine(options.definitions.restart), reactivation: machine(options.definitions.reactivation) };
    this.scale = { waits: 1, timeouts: 1, retries: 1, ...options.timeScale };
    if (this.scale.timeouts > 1) throw new RangeError('timeScale.timeouts can only shorten timeouts (≤ 1)');
    this.newTaskToken = options.newTaskToken ?? (() => `local-task-${randomUUID()}`);
  }

  async scheduleRetry(request: RetryRequest): Promise<void> {
    const input: RestartInput = { linkId: request.linkId, epoch: request.epoch, attempt: request.attempt, delaySeconds: delaySecondsOf(request.delayMs) };
    this.start('restart', restartExecutionName(request), input, request);
  }

  async cancelRetry(_linkId: string): Promise<void> {
    // As on AWS (see SfnWorkflow.cancelRetry): a pending restart wakes, finds the link moved on, and ends.
  }

  async startReactivation(request: ReactivationRequest): Promise<void> {
    const input: ReactivationInput = { linkId: request.linkId, appId: request.appId, teamId: request.teamId, tokenVersion: request.tokenVersion };
    this.start('reactivation', reactivationExecutionName(request), input);
  }

  async completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void> {
    // An unknown token belongs to a task that already timed out or ended: nobody waits for it.
    this.waiters.get(taskToken)?.settle(outcome);
  }

  /** Running and recently finished executions, oldest first. */
  executions(): ExecutionRecord[] {
    return [...this.history, ...[...this.running.values()].map((r) => r.record)].map((record) => structuredClone(record));
  }

  execution(name: string): ExecutionRecord | undefined {
    return this.executions().find((record) => record.name === name);
  }

  /** Restart executions still running, as the retries they were started for. */
  pendingRetries(): RetryRequest[] {
    return [...this.running.values()]
      .flatMap(({ retry }) => (retry ? [{ ...retry }] : []));
  }

  /** Resolves once no execution runs (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Shutdown: aborts every execution and forgets every waiting connect. */
  stop(): void {
    this.stopped = true;
    for (const waiter of [...this.waiters.values()]) waiter.cancel();
    for (const { abort } of this.running.values()) abort();
  }

  private start(workflow: WorkflowKind, name: string, input: RestartInput | ReactivationInput, retry?: RetryRequest): void {
    if (this.stopped) throw new Error('the embedded workflow is stopped');
    if (!this.firstUseOf(name)) return; // refused as AWS refuses it (ExecutionAlreadyExists), which callers take as done
    const record: ExecutionRecord = { name, workflow, input, status: 'RUNNING', startedAt: Date.now(), waits: [], tasks: [], connects: [] };
    const { machine, plan } = this.machines[workflow];
    const execution = machine.run(input as unknown as JSONObject, { overrides: this.overrides(plan, record), context: { Task: { Token: 'issued-per-connect' } } });
    const done = execution.result.then(
      (output: unknown) => {
        record.status = 'SUCCEEDED';
        record.output = output;
      },
      (error: unknown) => this.failed(record, error),
    );
    this.running.set(name, { record, abort: execution.abort, done, ...(retry ? { retry } : {}) });
    void done.finally(() => {
      this.running.delete(name);
      this.history.push(record);
      if (this.history.length > (this.options.historyLimit ?? 1_000)) this.history.shift();
    });
  }

  /** Whether `name` is new within AWS's reuse window; remembers it if so. */
  private firstUseOf(name: string): boolean {
    const now = Date.now();
    for (const [old, startedAt] of this.usedNames) {
      if (startedAt > now - NAME_REUSE_MS && this.usedNames.size < (this.options.usedNamesLimit ?? 100_000)) break;
      this.usedNames.delete(old);
    }
    if (this.usedNames.has(name)) return false;
    this.usedNames.set(name, now);
    return true;
  }

  private failed(record: ExecutionRecord, error: unknown): void {
    const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
    record.status = name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
    // A Fail state's error and cause travel as the library's ExecutionError's cause.
    const inner = (cause ?? error) as { name?: string; message?: string };
    record.error = { name: inner.name ?? name ?? 'Error', cause: inner.message ?? message ?? '' };
    if (record.status === 'FAILED') this.options.log?.warn('workflow execution failed', { execution: record.name, error: record.error });
  }

  /**
   * Binds the definition's states for one execution. Waits are computed here so they can be
   * scaled: the interpreter reads a per-state override when the Wait starts, and the getter
   * answers from the state data the Wait receives, which in these definitions is always the
   * execution input or the output of the last Lambda task (only Choice states lie between).
   */
  private overrides(plan: StatePlan, record: ExecutionRecord) {
    let data: unknown = record.input;
    const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const state of plan.lambdaTasks) {
      taskResourceLocalHandlers[state] = async (input) => {
        const entry: ExecutionRecord['tasks'][number] = { state, input };
        record.tasks.push(entry);
        try {
          const output = await this.options.handler(input);
          entry.output = output;
          data = output;
          return output as never;
        } catch (error) {
          entry.error = (error as Error).name;
          throw error;
        }
      };
    }
    for (const { name, timeoutSeconds } of plan.connectTasks) {
      taskResourceLocalHandlers[name] = (input) => this.connect(record, input, timeoutSeconds * 1000 * this.scale.timeouts) as Promise<never>;
    }
    const waitTimeOverrides: Record<string, number> = {};
    for (const wait of plan.waits) {
      Object.defineProperty(waitTimeOverrides, wait.name, {
        enumerable: true,
        get: () => {
          const seconds = wait.seconds ?? Number(readPath(data, wait.path ?? []));
          const ms = Math.max(0, seconds) * 1000 * this.scale.waits;
          record.waits.push({ state: wait.name, seconds, ms });
          return ms;
        },
      });
    }
    const retryIntervalOverrides = Object.fromEntries(
      this.scale.retries === 1 ? [] : plan.retries.map(({ name, intervalsSeconds }) => [name, intervalsSeconds.map((s) => s * 1000 * this.scale.retries)]),
    );
    return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
  }

  /** The connect task: a command with a fresh task token, settled by `completeConnect` or the timeout. */
  private async connect(record: ExecutionRecord, input: unknown, timeoutMs: number): Promise<unknown> {
    const body = (input as { MessageBody?: Partial<ConnectMessage> }).MessageBody;
    if (typeof body?.linkId !== 'string' || typeof body.epoch !== 'number') throw namedError('States.TaskFailed', 'connect message without linkId and epoch');
    const taskToken = this.newTaskToken();
    const entry: ExecutionRecord['connects'][number] = { command: { linkId: body.linkId, epoch: body.epoch, taskToken } };
    record.connects.push(entry);
    const outcome = new Promise<unknown>((resolve, reject) => {
      const finish = (label: string) => {
        clearTimeout(timer);
        this.waiters.delete(taskToken);
        entry.outcome = label;
      };
      const timer = setTimeout(() => {
        finish('States.Timeout');
        reject(namedError('States.Timeout', `no answer to the connect command within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(taskToken, {
        settle: (result) => {
          if (result.ok) {
            finish('ok');
            resolve({});
            return;
          }
          // What SfnWorkflow sends with SendTaskFailure: the ASL error name, the cause as JSON.
          const error = CONNECT_FAILURES[result.kind];
          finish(error);
          reject(namedError(error, encodeConnectCause(result.cause)));
        },
        cancel: () => finish('cancelled'),
      });
    });
    try {
      await this.options.queue.send(entry.command);
    } catch (error) {
      this.waiters.get(taskToken)?.cancel();
      throw error;
    }
    return outcome;
  }
}
