import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./child/dynalite-process.ts', import.meta.url));

/** Starts dynalite in a child process; `stop` disconnects it, and it exits. */
export async function startDynaliteProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { endpoint?: string }) => (message.endpoint ? resolve(message.endpoint) : reject(new Error('dynalite gave no endpoint'))));
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.disconnect();
    }),
  };
}
