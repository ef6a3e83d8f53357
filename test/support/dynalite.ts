import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { gateRequests } from '../../shared/adapters/dynalite/request-gate';

export interface RunningEngine {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * In-process dynalite on a free port; tables are ACTIVE as soon as they are created. Stopping
 * goes through the embedded store's request gate: requests that arrive from then on are refused,
 * and LevelDB closes only once the ones already started were answered. Closing the connections
 * alone left an UpdateItem whose read had run to write after LevelDB closed, and dynalite threw
 * "Database is closed" outside any request, killing the process (the bench, once, after its
 * store-outage phase: a stopped workflow's task was still writing).
 */
export const startDynalite = async (): Promise<RunningEngine> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const gate = gateRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await gate.close(5_000);
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
};
