import { startDynalite, type RunningEngine } from './dynalite';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { createLinkTable, localClient } from './link-tables';

export interface FaultyLinkTable {
  engine: RunningEngine;
  /** What clients under test talk to: `proxy.endpoint`, faults set with `proxy.set`. */
  proxy: FaultProxy;
  tableName: string;
  stop(): Promise<void>;
}

/** dynalite with a link table, reached through the fault proxy. */
export async function startFaultyLinkTable(): Promise<FaultyLinkTable> {
  const engine = await startDynalite();
  const direct = localClient(engine.endpoint);
  const tableName = await createLinkTable(direct);
  direct.destroy();
  const proxy = await startFaultProxy(engine.endpoint);
  return {
    engine,
    proxy,
    tableName,
    async stop() {
      await proxy.close();
      await engine.stop();
    },
  };
}
