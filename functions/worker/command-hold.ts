import type { Logger, ReceivedCommand } from '../../shared/ports';
import type { WorkerOptions } from './options';

/**
 * Keeps a received command hidden in the queue while it is handled: every `commandHoldEveryMs`,
 * hidden for `commandHoldMs` more (why: `WorkerOptions.commandHoldEveryMs`). Returns the function that stops
 * holding, called once the command is acked or given up. A failed hold is logged: at worst the
 * command is handled twice, which claims fence.
 */
export function holdWhileHandled(
  received: Pick<ReceivedCommand, 'command' | 'keepHidden'>,
  options: Pick<WorkerOptions, 'commandHoldEveryMs' | 'commandHoldMs'>,
  log: Logger,
): () => void {
  const timer = setInterval(() => {
    received.keepHidden(options.commandHoldMs).catch((error: unknown) => log.warn('connect command hold failed', { linkId: received.command.linkId, error }));
  }, options.commandHoldEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
