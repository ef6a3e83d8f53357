// `npx tsx bench/measure-one.ts <lifeline|socketModeClient|rtmClient|rawWs> [links]`: one system's
// memory and cold start alone, without the trials around it (for looking into a number).
import { startSlackSimulator } from '../shared/slack-simulator';
import { startDynalite } from '../test/support/dynalite';
import { createLinkTable, localClient } from '../test/support/link-tables';
import { targetsFor } from './fixtures';
import { measureMemory } from './phases/memory';
import type { ChildSystemName, LinkProtocol } from './systems/types';

const PROTOCOLS: Record<ChildSystemName, readonly LinkProtocol[]> = {
  rawWs: ['rtm'], lifeline: ['rtm', 'socket'], socketModeClient: ['socket'], rtmClient: ['rtm'],
};

const name = (process.argv[2] ?? 'lifeline') as ChildSystemName;
const links = Number(process.argv[3] ?? 5_000);
const protocols = PROTOCOLS[name];
if (!protocols) throw new Error(`unknown system ${name}`);
const sim = await startSlackSimulator({ rateLimits: false });
const engine = await startDynalite();
const ddb = localClient(engine.endpoint);
const table = async () => ({ endpoint: engine.endpoint, tableName: await createLinkTable(ddb) });
const result = await measureMemory(sim, {
  system: name,
  targets: targetsFor(sim, protocols, links),
  warmTargets: targetsFor(sim, protocols, 20),
  ...(name === 'lifeline' ? { tables: { warm: await table(), main: await table() } } : {}),
  settleMs: 10_000,
  openTimeoutMs: 120_000,
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await sim.close();
ddb.destroy();
await engine.stop();
