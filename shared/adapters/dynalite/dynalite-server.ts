import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tapWrites, type WriteListener } from './write-tap';

// dynalite ships no types; this is the part of its API the embedded store uses.
type CreateDynalite = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const createDynalite = createRequire(import.meta.url)('dynalite') as CreateDynalite;

export interface DynaliteServerOptions {
  /** LevelDB folder; created if missing. Omit for an in-memory store. */
  path?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface DynaliteServer {
  /** `http://127.0.0.1:PORT`: what DynamoDB clients take as `endpoint`. */
  endpoint: string;
  /** Successful item writes, as they land: the embedded twin of a DynamoDB stream. */
  onWrite(listener: WriteListener): () => void;
  /** Item writes served since start. */
  readonly writes: number;
  /** Stops accepting requests and closes LevelDB once pending writes are done. */
  stop(): Promise<void>;
}

/**
 * dynalite (a DynamoDB-compatible server on LevelDB) as the embedded mode's store. Tables are
 * ACTIVE as soon as they are created. Only one process may open a LevelDB folder at a time;
 * a second `npm start` on the same folder fails here with LevelDB's lock error.
 */
export async function startDynaliteServer(options: DynaliteServerOptions = {}): Promise<DynaliteServer> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = createDynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  const tap = tapWrites(server);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    onWrite: (listener) => tap.onWrite(listener),
    get writes() {
      return tap.count;
    },
    // Requests in flight finish first: cutting one mid-way would let dynalite run the rest of a
    // multi-step write against a closed LevelDB, which it reports by throwing. Idle keep-alive
    // connections are closed by `close`; a client still holding one open is cut after 5 s.
    stop: () =>
      new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
