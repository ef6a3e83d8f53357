import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('./socket-mode-app.ts', import.meta.url));

export interface SocketModeAppProcess {
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Forks the SocketModeReceiver app and resolves once its `app.start()` resolved. */
export async function startSocketModeApp(env: { slackApiUrl: string; appToken: string; botToken: string }, timeoutMs = 60_000): Promise<SocketModeAppProcess> {
  const child = fork(APP, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, BENCH_SLACK_API_URL: env.slackApiUrl, BENCH_APP_TOKEN: env.appToken, BENCH_BOT_TOKEN: env.botToken },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const stop = (): Promise<void> => stopChild(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no ready within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`the SocketModeReceiver app: ${why}${stderr ? `; stderr: ${stderr}` : ''}`)));
    };
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => fail(`exited (code ${code}) before it was ready`));
  });
  return { pid: child.pid, stop };
}

/** SIGTERM (the app stops its receiver), SIGKILL if it is still there 5 s later. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
