export { startDynaliteServer, type DynaliteServer, type DynaliteServerOptions } from './dynalite-server';
export { tapWrites, type ItemWrite, type WriteListener } from './write-tap';
export { ensureLinkTable } from './ensure-table';
export { StorageGuard, StorageRefusedError } from './storage-guard';
export { startTtlSweeper, type TtlSweeper, type TtlSweeperOptions } from './ttl-sweeper';
