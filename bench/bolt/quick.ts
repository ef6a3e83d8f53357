// `npx tsx bench/bolt/quick.ts [--quick] [--out file]`: the `bolt` section alone (see bench/README.md).
import { writeFileSync } from 'node:fs';
import { BOLT_PLANS } from '../plan';
import { boltSection } from '../report/results';
import { formatBolt } from '../report/table';
import { boltProblems } from '../report/validate';
import { measureBolt } from './measure-bolt';

const t0 = Date.now();
const plan = BOLT_PLANS[process.argv.includes('--quick') ? 'quick' : 'full'];
const section = boltSection(await measureBolt(plan, (m) => console.log(`[bolt bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`)));
const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
if (out) writeFileSync(out, `${JSON.stringify({ bolt: section }, null, 2)}\n`);
const problems = boltProblems(section);
if (problems.length > 0) console.log(`incomplete:\n${problems.map((p) => `- ${p}`).join('\n')}`);
console.log(formatBolt(section));
