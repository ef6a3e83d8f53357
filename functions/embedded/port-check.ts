import { createServer, type Server } from 'node:net';
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
    const probe = createServer();
    await listenOn(probe, wanted, host);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
}

/** Binds `server` to the wanted port; a port in use rejects with the `PortInUseError` naming its key. */
export function listenOn(server: Server, wanted: WantedPort, host = '127.0.0.1'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(wanted.key, wanted.port, wanted.what) : error);
    server.once('error', refuse);
    server.listen(wanted.port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
}
