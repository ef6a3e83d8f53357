// `npx tsx bench/embedded/quick.ts [links] [failoverLinks] [steadyMs]`: the embedded measurements alone.
import { measureEmbedded } from './measure-embedded';

const [links, failoverLinks, steadyWindowMs] = process.argv.slice(2).map(Number);
const result = await measureEmbedded({
  ...(links ? { links } : {}),
  ...(failoverLinks ? { failoverLinks } : {}),
  ...(steadyWindowMs ? { steadyWindowMs } : {}),
  log: (m) => console.log(`[embedded bench] ${m}`),
});
console.log(JSON.stringify(result, null, 2));
