import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./ipc-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface TestReport {
  test: true;
  event: string;
  [key: string]: unknown;
}

const isReport = (message: unknown): message is TestReport =>
  typeof message === 'object' && message !== null && (message as { test?: unknown }).test === true;

/** Forks `ipc-child.ts` in `mode` and resolves once it reported `ready`. */
export const forkIpcChild = async (mode: 'relay' | 'hold' | 'bot-cached', ...args: string[]): Promise<ChildProcess> => {
  const child = fork(script, [mode, ...args], { cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await nextReport(child, 'ready');
  return child;
};

/** The child's next report of `event`; rejects if the child exits first. */
export const nextReport = (child: ChildProcess, event: string): Promise<TestReport> =>
  new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isReport(message)) return;
      if (message.event === 'error') fail(new Error(String(message.message)));
      else if (message.event === event) done(() => resolve(message));
    };
    const onExit = (code: number | null): void => fail(new Error(`child exited (${String(code)}) before reporting ${event}`));
    const done = (settle: () => void): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    const fail = (error: Error): void => done(() => reject(error));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

/** SIGKILLs the child (no chance to clean up) and resolves once it has exited. */
export const killChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
};
