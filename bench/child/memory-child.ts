// Child process entry: holds one system's links so its RSS is its own (the simulator and
// dynalite live in the parent, as Slack and DynamoDB live outside a real worker).
import { sleep } from '../stats';
import { createSystem } from '../systems/create-system';
import type { BenchSystem, ChildSystemName, SystemContext } from '../systems/types';
import type { FromChild, MemorySnapshot, ToChild } from './protocol';

let name: ChildSystemName = 'rawWs';
let apiUrl = '';
let warm: BenchSystem | undefined;
let system: BenchSystem | undefined;

const send = (message: FromChild): void => {
  process.send?.(message);
};

/** Full collections with pauses between them, then RSS: what the process really holds. */
async function settledMemory(): Promise<MemorySnapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(250);
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external };
}

function context(dynamo: SystemContext['dynamo']): SystemContext {
  return { apiUrl, ...(dynamo ? { dynamo } : {}), onDelivery: () => undefined };
}

async function handle(message: ToChild): Promise<void> {
  switch (message.type) {
    case 'warm':
      name = message.system;
      apiUrl = message.apiUrl;
      warm = await createSystem(name, context(message.dynamo));
      await warm.prepare(message.targets);
      await warm.start();
      send({ type: 'warming' });
      return;
    case 'baseline':
      await warm?.stop();
      warm = undefined;
      system = await createSystem(name, context(message.dynamo));
      send({ type: 'baseline', memory: await settledMemory() });
      return;
    case 'prepare': {
      const started = performance.now();
      await system?.prepare(message.targets);
      send({ type: 'prepared', ms: performance.now() - started });
      return;
    }
    case 'go':
      await system?.start();
      send({ type: 'started' });
      return;
    case 'goFromNothing':
      if (system?.startFromNothing) await system.startFromNothing(message.targets);
      else {
        await system?.prepare(message.targets);
        await system?.start();
      }
      send({ type: 'started' });
      return;
    case 'measure': {
      // Memory is read at rest: after the system finished what opening its links started.
      const started = performance.now();
      while (system?.settled && !system.settled() && performance.now() - started < message.maxSettleWaitMs) await sleep(100);
      const settleWaitMs = Math.round(performance.now() - started);
      await sleep(message.settleMs);
      send({ type: 'collecting' });
      const memory = await settledMemory();
      send({ type: 'measured', memory, settleWaitMs, ...(system?.status ? { status: system.status() } : {}) });
      return;
    }
    case 'stop':
      await system?.stop().catch(() => undefined);
      process.exit(0);
  }
}

process.on('message', (message: ToChild) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  });
});
