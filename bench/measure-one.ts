// `npx tsx bench/measure-one.ts <lifeline|socketModeClient|rtmClient|rawWs> [links] [from-nothing]`:
// one system's memory and cold start alone, without the trials around it (for looking into a
// number); `from-nothing` times registration and start together (`coldStartFromNothing5000Ms`).
import { startSlackSimulator } from '../shared/slack-simulator';
import { startDynaliteProcess } from './dynalite-server';
import { createLinkTable, localClient } from '../test/support/link-tables';
import { targetsFor } from './fixtures';
import { measureMemory } from './phases/memory';
import { SYSTEM_PROTOCOLS } from './systems/create-system';
import type { ChildSystemName } from './systems/types';

const name = (process.argv[2] ?? 'lifeline') as ChildSystemName;
const links = Number(process.argv[3] ?? 5_000);
const fromNothing = process.argv[4] === 'from-nothing';
const protocols = SYSTEM_PROTOCOLS[name];
if (!protocols) throw new Error(`unknown system ${name}`);
const sim = await startSlackSimulator({ rateLimits: false });
const engine = await startDynaliteProcess();
const ddb = localClient(engine.endpoint);
const table = async () => ({ endpoint: engine.endpoint, tableName: await createLinkTable(ddb) });
const result = await measureMemory(sim, {
  system: name,
  targets: targetsFor(sim, protocols, links),
  warmTargets: targetsFor(sim, protocols, 20),
  ...(name === 'lifeline' ? { tables: { warm: await table(), main: await table() } } : {}),
  settleMs: 10_000,
  openTimeoutMs: 120_000,
  fromNothing,
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await sim.close();
ddb.destroy();
await engine.stop();
