// `npm start`: Lifeline embedded on this machine. Reads its configuration once (environment over
// `.env`), starts everything, prints where, and on SIGINT/SIGTERM drains the workers, closes
// the store (so it is persisted) and exits 0.
import { join } from 'node:path';
import { ConfigError, withDotEnv } from '../../shared/config';
import { readEmbeddedConfig } from './config';
import { startEmbeddedLifeline } from './lifeline';

async function main(): Promise<void> {
  const { env, warning } = withDotEnv(process.env, join(process.cwd(), '.env'));
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  const config = readEmbeddedConfig(env, process.cwd());
  const lifeline = await startEmbeddedLifeline(config);
  process.stdout.write(`${lifeline.lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: draining workers and closing the store…\n`);
    lifeline.stop().then(
      () => {
        process.stdout.write('Lifeline stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Lifeline failed to start:', error);
  process.exit(1);
});
