import type { ConnectCommand } from '../../ports';

/** What the embedded adapter remembers of one execution: for the status page, logs and tests. */
export interface ExecutionRecord {
  name: string;
  workflow: 'restart' | 'reactivation';
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startedAt: number;
  output?: unknown;
  /** Why a FAILED execution failed (a Fail state's error and cause, or an unhandled task error). */
  error?: { name: string; cause: string };
  /** Each Wait: the seconds the definition asked for, and the milliseconds actually waited (scaled). */
  waits: Array<{ state: string; seconds: number; ms: number }>;
  /** Each Task invocation: its input after `Parameters`, and what it returned or the error it threw. */
  tasks: Array<{ state: string; input: unknown; output?: unknown; error?: string }>;
  /** Each connect command sent, and how it ended (`ok`, a named failure, or `States.Timeout`). */
  connects: Array<{ command: ConnectCommand; outcome?: string }>;
}

/** An Error the interpreter's Retry and Catch match by `name`, with the cause as its message (`$.failure.Cause`). */
export function namedError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}
