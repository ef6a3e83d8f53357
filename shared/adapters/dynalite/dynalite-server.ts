import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../ports';
import { gateRequests } from './request-gate';
import { guardStorage, releaseStorageGuard, type StorageGuard } from './storage-guard';
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
  /** Where storage failures and recoveries are reported (on disk only). */
  log?: Logger;
  /** Waits between reopen attempts after a storage failure. Default 200 ms, 0.5, 1, 2, then every 5 s. */
  reopenDelaysMs?: readonly number[];
}

export interface DynaliteServer {
  /** `http://127.0.0.1:PORT`: what DynamoDB clients take as `endpoint`. */
  endpoint: string;
  /** Successful item writes, as they land: the embedded twin of a DynamoDB stream. */
  onWrite(listener: WriteListener): () => void;
  /** Item writes served since start. */
  readonly writes: number;
  /** On disk: the guard that turns storage failures into refused requests (and injects them, for tests). */
  storage?: StorageGuard;
  /** Refuses new requests, answers the ones in flight, then closes LevelDB. */
  stop(): Promise<void>;
}

/**
 * dynalite (a DynamoDB-compatible server on LevelDB) as the embedded mode's store. Tables are
 * ACTIVE as soon as they are created. Only one process may open a LevelDB folder at a time;
 * a second `npm start` on the same folder fails here with LevelDB's lock error.
 */
export async function startDynaliteServer(options: DynaliteServerOptions = {}): Promise<DynaliteServer> {
  if (options.path) makeFolder(options.path);
  // Registered before dynalite opens the folder, so even a failed open is a refused request.
  const storage = options.path ? guardStorage(options.path, options.log, options.reopenDelaysMs) : undefined;
  const server = createDynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  // Before the tap, so the gate wraps dynalite's own handler only.
  const gate = gateRequests(server);
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
    ...(storage ? { storage } : {}),
    // Every request that arrived is answered before LevelDB closes: dynalite's own close waits
    // for connections, not handlers, and a client that vanished mid-call (a killed worker) left
    // a handler running a query against a closed LevelDB, which threw outside any request. Idle
    // keep-alive connections are closed by `close`; a client still holding one open is cut after 5 s.
    stop: async () => {
      await gate.close(10_000);
      await new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close((error) => {
          clearTimeout(force);
          if (storage) releaseStorageGuard(storage);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

/** The folder, or one clear line on why it cannot be made (a read-only disk, no permission). */
function makeFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new Error(`embedded store: cannot create its folder ${path} (${code}): check the disk is writable and has space`, { cause: error });
  }
}
