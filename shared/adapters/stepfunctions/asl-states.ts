/**
 * The few facts the embedded adapter needs from a definition: which Task states are Lambda
 * tasks, which is the connect (SQS `.waitForTaskToken`), and where each Wait reads its seconds.
 * Anything the link workflows do not use is refused, so a new construct feature cannot run
 * half-supported.
 */
export interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Seconds?: number;
  SecondsPath?: string;
  Retry?: Array<{ IntervalSeconds?: number }>;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface StatePlan {
  lambdaTasks: string[];
  connectTasks: Array<{ name: string; timeoutSeconds: number }>;
  waits: Array<{ name: string; seconds?: number; path?: string[] }>;
  retries: Array<{ name: string; intervalsSeconds: number[] }>;
}

const CONNECT_RESOURCE = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
/** Step Functions' default task timeout is 60 s locally (the library's default). */
const DEFAULT_TIMEOUT_SECONDS = 60;

/** `$.a.b` → ['a', 'b']; anything fancier is refused. */
function simplePath(path: string): string[] {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`embedded workflows: path ${path} is not a plain $.field path`);
  return path.split('.').slice(1);
}

export function planStates(definition: AslDefinition): StatePlan {
  const plan: StatePlan = { lambdaTasks: [], connectTasks: [], waits: [], retries: [] };
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Retry) plan.retries.push({ name, intervalsSeconds: state.Retry.map((r) => r.IntervalSeconds ?? 1) });
    if (state.Type === 'Task') {
      if (state.Resource === CONNECT_RESOURCE) plan.connectTasks.push({ name, timeoutSeconds: state.TimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS });
      else if (state.Resource?.startsWith('arn:aws:lambda:')) plan.lambdaTasks.push(name);
      else throw new Error(`embedded workflows: task ${name} has an unsupported resource ${state.Resource}`);
    } else if (state.Type === 'Wait') {
      if (state.Seconds !== undefined) plan.waits.push({ name, seconds: state.Seconds });
      else if (state.SecondsPath !== undefined) plan.waits.push({ name, path: simplePath(state.SecondsPath) });
      else throw new Error(`embedded workflows: wait ${name} must use Seconds or SecondsPath`);
    } else if (!['Choice', 'Succeed', 'Fail', 'Pass'].includes(state.Type)) {
      throw new Error(`embedded workflows: state ${name} of type ${state.Type} is not supported`);
    }
  }
  return plan;
}

export function readPath(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
