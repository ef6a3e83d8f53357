import { createServer } from 'node:net';
import { ConfigError } from '../../shared/config';

/** A configured port is taken: one line naming the key that picks another. */
export class PortInUseError extends ConfigError {
  constructor(readonly key: string, readonly port: number, what: string) {
    super([`${key}: port ${port} is in use (${what})`]);
    this.message = `${key}=${port} is in use (${what}): stop what holds it, or set ${key} to a free port (0 picks one)`;
  }
}

export interface WantedPort {
  key: string;
  port: number;
  what: string;
}

/**
 * Tries each configured port before anything starts (store, workers, simulator), so a port in use
 * is one line naming its key, not a stack trace after the workers came up. The listeners bind
 * again moments later; should another process win that race, they throw the same error.
 */
export async function checkPortsFree(ports: WantedPort[], host = '127.0.0.1'): Promise<void> {
  for (const wanted of ports) {
    if (wanted.port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(wanted.key, wanted.port, wanted.what) : error));
      probe.listen(wanted.port, host, () => probe.close(() => resolve()));
    });
  }
}
