import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface RunningEngine {
  endpoint: string;
  stop(): Promise<void>;
}

/** In-process dynalite on a free port; tables are ACTIVE as soon as they are created. */
export const startDynalite = async (): Promise<RunningEngine> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
