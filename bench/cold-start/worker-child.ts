// The Lifeline column's system in a process of its own, so its CPU is its own: warmed up on a
// throwaway table first (as the memory child does), then started from nothing on demand.
import { LifelineSystem } from '../systems/lifeline';
import type { LinkTarget, SystemContext } from '../systems/types';

export type ToWorkerChild =
  | { type: 'warm'; apiUrl: string; dynamo: NonNullable<SystemContext['dynamo']>; targets: LinkTarget[] }
  /** Builds the measured system before the clock starts, as the memory child's baseline does. */
  | { type: 'prepare'; apiUrl: string; dynamo: NonNullable<SystemContext['dynamo']> }
  | { type: 'go'; targets: LinkTarget[] }
  | { type: 'report' }
  | { type: 'stop' };

let system: LifelineSystem | undefined;
let cpuSince = process.cpuUsage();

const context = (apiUrl: string, dynamo: NonNullable<SystemContext['dynamo']>): SystemContext => ({ apiUrl, dynamo, onDelivery: () => undefined });

async function handle(message: ToWorkerChild): Promise<void> {
  switch (message.type) {
    case 'warm': {
      const warm = new LifelineSystem(context(message.apiUrl, message.dynamo));
      await warm.startFromNothing(message.targets);
      while (!warm.settled() || warm.status().runners !== message.targets.length) await new Promise((r) => setTimeout(r, 20));
      await warm.stop();
      process.send?.({ type: 'warmed' });
      return;
    }
    case 'prepare':
      system = new LifelineSystem(context(message.apiUrl, message.dynamo));
      process.send?.({ type: 'prepared' });
      return;
    case 'go':
      if (!system) throw new Error('go before prepare');
      cpuSince = process.cpuUsage();
      await system.startFromNothing(message.targets);
      process.send?.({ type: 'started' });
      return;
    case 'report': {
      const cpu = process.cpuUsage(cpuSince);
      process.send?.({ type: 'report', cpuMs: Math.round((cpu.user + cpu.system) / 1_000), status: system?.status(), settled: system?.settled() ?? false });
      return;
    }
    case 'stop':
      await system?.stop().catch(() => undefined);
      process.exit(0);
  }
}

process.on('message', (message: ToWorkerChild) => {
  handle(message).catch((error: unknown) => process.send?.({ type: 'failed', error: String(error) }));
});
process.send?.({ type: 'ready' });
