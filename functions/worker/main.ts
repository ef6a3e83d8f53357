// The worker process: a Fargate task on AWS, a child process embedded. Reads its environment
// once, starts, and drains on SIGTERM (links handed to peers make-before-break), then exits 0.
// A worker that fenced itself (its lease could not be renewed) exits 1 so it is replaced.
import { onLinkParked, parentEndpoint } from '../../shared/adapters/ipc';
import { ConfigError } from '../../shared/config';
import { readWorkerConfig } from './config';
import { composeWorker } from './compose';
import { bringBackPoolOnNewAppToken } from './app-token-start';
import { Worker } from './worker';

async function main(): Promise<void> {
  const config = readWorkerConfig(process.env);
  const { deps, ticker, appTokens } = composeWorker(config);
  const worker = new Worker(deps, config.worker);
  let stopping = false;
  const drain = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info('draining', { signal });
    const result = await worker.drain();
    deps.log.info('drained, exiting', result);
    ticker.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
  process.on('disconnect', () => void drain('parent gone'));
  await worker.start();
  // Embedded: the parent tells the owner at once when another process parked one of its links.
  if (config.mode === 'embedded') onLinkParked(parentEndpoint(), (linkId) => void worker.recheckLink(linkId));
  // AWS: a start with another app token than the fleet last ran with brings back a pool parked for it.
  if (config.mode === 'aws' && appTokens) await bringBackPoolOnNewAppToken(worker, appTokens, config.aws.app);
  const watch = setInterval(() => {
    if (worker.state === 'fenced') {
      deps.log.error('worker fenced itself; exiting so it is replaced');
      process.exit(1);
    }
  }, 200);
  watch.unref();
  process.send?.({ lifeline: 'worker-ready', workerId: deps.workerId });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('worker failed to start:', error);
  process.exit(1);
});
